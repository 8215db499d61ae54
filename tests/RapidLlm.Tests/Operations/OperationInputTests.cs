using RapidLlm.Common;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Tests.Operations;

/// <summary>Mode selection, shapes and input validation.</summary>
[TestFixture]
public sealed class OperationInputTests
{
    [TestCase(1, false, 1, ParallelismMode.Single)]
    [TestCase(1, true, 1, ParallelismMode.Single)]
    [TestCase(2, false, 1, ParallelismMode.Tensor)]
    [TestCase(2, true, 1, ParallelismMode.TensorSequence)]
    [TestCase(1, false, 2, ParallelismMode.Context)]
    [TestCase(2, true, 2, ParallelismMode.TensorContextHybrid)]
    public void ModeFollowsTheReferenceSelection(int tp, bool sp, int cp, object expected) =>
        Assert.That(new ParallelismDegrees(tp, sp, cp, 1, 1, 0).Mode, Is.EqualTo((ParallelismMode)expected));

    [Test]
    public void SequenceParallelDegreeIsCpWheneverCpIsUsed()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new ParallelismDegrees(4, true, 1, 1, 1, 0).SequenceParallelDegree, Is.EqualTo(4));
            Assert.That(new ParallelismDegrees(4, true, 2, 1, 1, 0).SequenceParallelDegree, Is.EqualTo(2));
            Assert.That(new ParallelismDegrees(4, false, 1, 1, 1, 0).SequenceParallelDegree, Is.EqualTo(1));
        });
    }

    [Test]
    public void GqaShapesGroupQueryHeadsPerKvHead()
    {
        var dims = new TransformerDims(4096, 32, 8, 128, 11008, 32000, ModelFamily.Llama);
        var shapes = LayerGemmShapes.ForSequence(dims, 4, 1024);
        Assert.Multiple(() =>
        {
            Assert.That(shapes.Qkv, Is.EqualTo(GemmShape.Single(4096, 4096, 4096 + 2 * 1024)));
            Assert.That(shapes.AttentionScore, Is.EqualTo(new GemmShape(32, 1024 * 4, 128, 1024)));
            Assert.That(shapes.Ffn1.N, Is.EqualTo(2 * 11008));
        });
        var decode = LayerGemmShapes.ForDecodeStep(dims, 4, 900);
        Assert.That(decode.AttentionOutput, Is.EqualTo(new GemmShape(32, 4, 900, 128)));
    }

    [Test]
    public void ValidationRejectsIndivisibleHeadsAndMissingFlashTile()
    {
        var link = new Link(1e11, 5e-6);
        var workload = new TransformerWorkload
        {
            Model = new TransformerDims(4096, 32, 32, 128, 11008, 32000, ModelFamily.Gpt),
            BatchSize = 1,
            SequenceLength = 16,
            ModelSequenceLength = 16,
            MicroBatchSize = 1,
            Precision = PrecisionBytes.Default(2.0),
            KernelOverheadSeconds = 0,
            Links = new AxisLinks(link, link, link, link),
        };
        Assert.Multiple(() =>
        {
            Assert.That(workload.Validate, Throws.Nothing);
            Assert.That((workload with { Model = workload.Model with { KvHeads = 5 } }).Validate, Throws.ArgumentException);
            Assert.That((workload with { FlashAttention = true }).Validate, Throws.ArgumentException);
            Assert.That((workload with { Parallelism = workload.Parallelism with { ZeroStage = 4 } }).Validate, Throws.ArgumentException);
        });
    }

    [Test]
    public void TransformerGraphRulesMatchTheReferenceTable()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CommunicationRules.For(ParallelismMode.TensorContextHybrid, "output_proj", forward: true),
                Is.EqualTo(new CommunicationRule(CollectiveKind.ReduceScatter, ParallelismAxis.Tp, ParallelismAxis.Cp)));
            Assert.That(CommunicationRules.For(ParallelismMode.Context, "layernorm1", forward: false),
                Is.EqualTo(new CommunicationRule(CollectiveKind.ReduceScatter, ParallelismAxis.Cp, ParallelismAxis.Cp)));
            Assert.That(CommunicationRules.For(ParallelismMode.Context, "attention", forward: true), Is.Null);
            Assert.That(CommunicationRules.For(ParallelismMode.Single, "MLP", forward: true), Is.Null);
        });
    }
}
