using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Tests;

public class YamlDocumentTests
{
    private const string Hardware = """
        # a comment that must survive
        parallelism:
          tp: 2 # tensor parallel
          pp: 1
          train: {dp: 4, ep: 1}
        model_param:
          run_type: "training"
        network:
          dimensions:
            - id: dim0
              topology: {type: Ring, bandwidth: 50 GB}
            - id: dim1
              topology:
                bandwidth: 20 GB
        """;

    [TestCase("parallelism.tp", "2")]
    [TestCase("parallelism.train.dp", "4")]
    [TestCase("model_param.run_type", "training")]
    [TestCase("network.dimensions[0].topology.bandwidth", "50 GB")]
    [TestCase("network.dimensions[1].topology.bandwidth", "20 GB")]
    public void Reads_a_scalar_at_a_dotted_path(string path, string expected) =>
        Assert.That(YamlDocument.Parse(Hardware).Get(path), Is.EqualTo(expected));

    [TestCase("parallelism.cp")]
    [TestCase("network.dimensions[5].topology.bandwidth")]
    [TestCase("nothing.here")]
    public void A_missing_path_reads_as_null(string path) => Assert.That(YamlDocument.Parse(Hardware).Get(path), Is.Null);

    [Test]
    public void Setting_an_existing_value_replaces_only_that_scalar()
    {
        var edited = YamlDocument.Parse(Hardware).With("parallelism.tp", "8");
        Assert.That(edited.Text, Is.EqualTo(Hardware.Replace("tp: 2 # tensor parallel", "tp: 8 # tensor parallel")));
    }

    [TestCase("parallelism.train.dp", "16", "train: {dp: 16, ep: 1}")]
    [TestCase("network.dimensions[0].topology.bandwidth", "100 GB", "topology: {type: Ring, bandwidth: 100 GB}")]
    [TestCase("model_param.run_type", "inference", "run_type: \"inference\"")]
    public void Flow_mappings_and_quoted_values_keep_their_style(string path, string value, string expected)
    {
        var edited = YamlDocument.Parse(Hardware).With(path, value);
        Assert.That(edited.Text, Does.Contain(expected));
        Assert.That(edited.Get(path), Is.EqualTo(value));
    }

    [Test]
    public void A_value_that_would_break_a_flow_mapping_is_quoted()
    {
        var edited = YamlDocument.Parse(Hardware).With("parallelism.train.dp", "4, 8");
        Assert.Multiple(() =>
        {
            Assert.That(edited.SyntaxError, Is.Null);
            Assert.That(edited.Get("parallelism.train.dp"), Is.EqualTo("4, 8"));
            Assert.That(edited.Get("parallelism.train.ep"), Is.EqualTo("1"));
        });
    }

    [Test]
    public void A_number_typed_over_an_emptied_value_is_a_number_again()
    {
        var emptied = YamlDocument.Parse(Hardware).With("parallelism.tp", "");
        Assert.That(emptied.Text, Does.Contain("tp: \"\" # tensor parallel"));
        Assert.That(emptied.With("parallelism.tp", "4").Text, Does.Contain("tp: 4 # tensor parallel"));
    }

    [Test]
    public void A_missing_key_is_added_to_its_mapping()
    {
        var edited = YamlDocument.Parse(Hardware).With("parallelism.pipeline_schedule", "1f1b");
        Assert.Multiple(() =>
        {
            Assert.That(edited.Get("parallelism.pipeline_schedule"), Is.EqualTo("1f1b"));
            Assert.That(edited.Get("parallelism.tp"), Is.EqualTo("2"));
            Assert.That(edited.Get("network.dimensions[1].topology.bandwidth"), Is.EqualTo("20 GB"));
        });
    }

    [Test]
    public void Invalid_yaml_is_reported_not_thrown()
    {
        var document = YamlDocument.Parse("parallelism:\n  tp: [1, 2\n");
        Assert.Multiple(() =>
        {
            Assert.That(document.SyntaxError, Does.StartWith("line "));
            Assert.That(document.Get("parallelism.tp"), Is.Null);
            Assert.That(document.With("parallelism.tp", "4").Text, Is.EqualTo(document.Text));
        });
    }

    [Test]
    public void A_list_value_reads_as_flow_text_and_can_be_replaced()
    {
        var document = YamlDocument.Parse("model_param:\n  vision:\n    image_size: [224, 224]\n");
        Assert.That(document.GetText("model_param.vision.image_size"), Is.EqualTo("[224, 224]"));
        var edited = document.With("model_param.vision.image_size", "384");
        Assert.That(edited.Get("model_param.vision.image_size"), Is.EqualTo("384"));
    }
}
