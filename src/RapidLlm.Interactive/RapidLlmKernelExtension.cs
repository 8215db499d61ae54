using Microsoft.DotNet.Interactive;

namespace RapidLlm.Interactive;

/// <summary>
/// The .NET Interactive kernel extension of the package: the kernel finds it in the package's
/// <c>interactive-extensions/dotnet</c> folder when a notebook runs <c>#r "nuget: RapidLlm.Interactive"</c>, and loading
/// it registers <see cref="RapidLlmFormatters"/>.
/// </summary>
public sealed class RapidLlmKernelExtension : IKernelExtension
{
    /// <summary>Registers the formatters.</summary>
    /// <param name="kernel">The kernel loading the package.</param>
    /// <returns>A completed task.</returns>
    public Task OnLoadAsync(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        RapidLlmFormatters.Register();
        return Task.CompletedTask;
    }
}
