namespace RapidLlm.Operations.Vision;

/// <summary>
/// The parts of a vision transformer (ViT) outside its encoder blocks: the patch embedding that turns an image into
/// tokens, and the head that pools the tokens into one vector per image and, optionally, classifies it.
/// </summary>
/// <param name="ImageHeight">Image height in pixels.</param>
/// <param name="ImageWidth">Image width in pixels.</param>
/// <param name="NumPatches">Patches per image (image area over patch area).</param>
/// <param name="PatchDim">Values per patch (patch area × channels), the patch embedding's input width.</param>
/// <param name="Channels">Colour channels per pixel (3).</param>
/// <param name="NumClasses">Classifier outputs; 0 for a headless feature encoder (the pooled vector is the output).</param>
/// <param name="PrefixTokens">Tokens before the patches that the pooling skips: the class token, plus DINOv3's four registers.</param>
internal sealed record VisionDims(
    long ImageHeight, long ImageWidth, long NumPatches, long PatchDim, long Channels, long NumClasses, long PrefixTokens)
{
    /// <summary>Patch-embedding parameters: the projection of one patch to the model width, and its bias.</summary>
    /// <param name="hidden">Model width D.</param>
    public long PatchEmbeddingParameters(long hidden) => PatchDim * hidden + hidden;

    /// <summary>Head parameters: the final norm's scale and shift, plus the classifier and its bias when there is one.</summary>
    /// <param name="hidden">Model width D.</param>
    public long HeadParameters(long hidden) => 2 * hidden + (NumClasses > 0 ? hidden * NumClasses + NumClasses : 0);

    /// <summary>Width of the model's output per image: the class count, or the model width without a classifier.</summary>
    /// <param name="hidden">Model width D.</param>
    public long OutputWidth(long hidden) => NumClasses > 0 ? NumClasses : hidden;

    /// <summary>Pixel values of one image (height × width × channels).</summary>
    public long ImageValues => ImageHeight * ImageWidth * Channels;

    /// <summary>Throws when the dimensions cannot describe a vision transformer.</summary>
    /// <exception cref="ArgumentException">A dimension is out of range.</exception>
    public void Validate()
    {
        if (ImageHeight <= 0 || ImageWidth <= 0 || NumPatches <= 0 || PatchDim <= 0 || Channels <= 0)
            throw new ArgumentException("Image, patch and channel dimensions must be positive.");
        if (NumClasses < 0 || PrefixTokens < 0) throw new ArgumentException("NumClasses and PrefixTokens must not be negative.");
    }
}
