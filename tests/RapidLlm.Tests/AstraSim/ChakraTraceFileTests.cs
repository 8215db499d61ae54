using RapidLlm.AstraSim.Chakra;

namespace RapidLlm.Tests.AstraSim;

public sealed class ChakraTraceFileTests
{
    [Test]
    public void EveryReferenceTraceRoundTripsByteForByte()
    {
        var files = AstraArtifacts.TraceFiles().ToList();
        Assert.That(files, Has.Count.GreaterThan(50));
        foreach (var file in files)
        {
            var original = File.ReadAllBytes(file);
            var trace = ChakraTraceFile.Read(new MemoryStream(original));
            var rewritten = new MemoryStream();
            ChakraTraceFile.Write(rewritten, trace);
            Assert.That(rewritten.ToArray(), Is.EqualTo(original), file);
        }
    }

    [Test]
    public void BuiltCollectiveEqualsTheContractsExampleBytes()
    {
        // The 79-byte rank-0 file of a 4 MiB all-gather microbenchmark given in CONTRACT.md section 5.
        var trace = new ChakraTrace(
            new GlobalMetadata { Version = ChakraTrace.SchemaVersion },
            [ChakraNodes.Collective(0, "all_gather_4.00MB", CollectiveCommType.AllGather, 4 * 1024 * 1024)]);
        var stream = new MemoryStream();
        ChakraTraceFile.Write(stream, trace);
        var bytes = stream.ToArray();

        Assert.That(bytes, Has.Length.EqualTo(79));
        Assert.That(bytes[..8], Is.EqualTo(new byte[] { 0x07, 0x0a, 0x05, (byte)'0', (byte)'.', (byte)'0', (byte)'.', (byte)'4' }));
        Assert.That(bytes[8], Is.EqualTo(0x46));
        Assert.That(bytes[^5..], Is.EqualTo(new byte[] { 0x48, 0x80, 0x80, 0x80, 0x02 }));
    }

    [Test]
    public void ReaderDecodesNodeKindsAndAttributes()
    {
        var file = Path.Combine(AstraArtifacts.Call("full_astrasim_hierarchical", "head_317a2cb_t_tp2_pp2_dp2", 5) + ".inputs", "llm_graph.0.et");
        var trace = ChakraTraceFile.Read(file);

        Assert.That(trace.Metadata.Version, Is.EqualTo("0.0.4"));
        var first = trace.Nodes[0];
        Assert.That(first.Type, Is.EqualTo(NodeType.CompNode));
        Assert.That(first.Name, Is.EqualTo("layernorm1_fwd_rank0_0"));
        Assert.That(first.DurationMicros, Is.EqualTo(46UL));
        var gather = trace.Nodes[1];
        Assert.That(gather.Type, Is.EqualTo(NodeType.CommCollNode));
        Assert.That(ChakraNodes.IntegerAttribute(gather, "comm_type"), Is.EqualTo((long)CollectiveCommType.AllGather));
        Assert.That(ChakraNodes.IntegerAttribute(gather, "comm_size"), Is.EqualTo(4194304));
        Assert.That(ChakraNodes.StringAttribute(gather, "pg_name"), Is.EqualTo("1000"));
        Assert.That(gather.CtrlDeps, Is.EqualTo(new ulong[] { 0 }));
    }

    [Test]
    public void TextDumpNamesTypesAndAttributes()
    {
        var trace = new ChakraTrace(
            new GlobalMetadata { Version = ChakraTrace.SchemaVersion },
            [ChakraNodes.Compute(0, "gemm_1", 12), ChakraNodes.Send(1, "x_send_dp0", 64, 1, 7)]);
        trace.Nodes[1].CtrlDeps.Add(0);

        var text = ChakraTraceText.Render(trace, "t.et");

        Assert.That(text, Does.Contain("id=0 type=COMP_NODE name=gemm_1 dur_us=12 ctrl=[] data=[] [is_cpu_op=False]"));
        Assert.That(text, Does.Contain("id=1 type=COMM_SEND_NODE name=x_send_dp0 dur_us=0 ctrl=[0] data=[] [comm_size=64, comm_dst=1, comm_tag=7, is_cpu_op=False]"));
    }

    [Test]
    public void TruncatedFileIsRejected()
    {
        var stream = new MemoryStream();
        ChakraTraceFile.Write(stream, new ChakraTrace(new GlobalMetadata { Version = "0.0.4" }, [ChakraNodes.Compute(0, "a", 1)]));
        var cut = stream.ToArray()[..^3];
        Assert.Throws<EndOfStreamException>(() => ChakraTraceFile.Read(new MemoryStream(cut)));
    }
}
