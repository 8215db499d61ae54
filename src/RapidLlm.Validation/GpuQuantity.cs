namespace RapidLlm.Validation;

/// <summary>The model quantity a measured GPU entry is compared with (the <c>quantity</c> of its <c>case.json</c>).</summary>
public enum GpuQuantity
{
    /// <summary>GEMM mode without backward: total time (<c>gemm_fwd</c>).</summary>
    GemmForward,

    /// <summary>GEMM mode with backward: forward, activation-gradient and weight-gradient GEMMs (<c>gemm_fwdbwd</c>).</summary>
    GemmForwardBackward,

    /// <summary>Inference prefill time over the prompt (<c>prefill</c>).</summary>
    Prefill,

    /// <summary>The first decode step of an inference run with one generated token (<c>decode_first_step</c>).</summary>
    DecodeStep,

    /// <summary>One transformer layer forward: prefill of a 2-layer minus a 1-layer model (<c>layer_fwd</c>).</summary>
    LayerForward,

    /// <summary>One layer forward and backward: training step of a 2-layer minus a 1-layer model (<c>layer_fwdbwd</c>).</summary>
    LayerForwardBackward,

    /// <summary>A whole training step (<c>train_step</c>).</summary>
    TrainingStep,
}
