using RapidLlm.Configuration;
using RapidLlm.Validation;

namespace RapidLlm.Tests.Validation;

public sealed class YamlOverlayTests
{
    private const string Base = """
        sw_param:
          kernel_launch_overhead: 9e-6
        network:
          dimensions:
            - id: dim0
              topology: {type: FullyConnected, bandwidth: 250 GB, latency: 5e-6}
            - id: dim1
              topology: {type: Ring, bandwidth: 25 GB}
        execution_backend:
          model: astra
        """;

    [Test]
    public void Merge_patches_list_items_by_id_and_keeps_the_rest()
    {
        var merged = YamlOverlay.Merge(Base, "network:\n  dimensions:\n    - id: dim1\n      topology: {latency: 1e-6}\n    - id: dim9\n      size: 2\n");
        Assert.That(merged, Does.Contain("bandwidth: 250 GB"));
        Assert.That(merged, Does.Contain("latency: 1e-6"));
        Assert.That(merged.IndexOf("dim9", StringComparison.Ordinal), Is.GreaterThan(merged.IndexOf("dim1", StringComparison.Ordinal)));
        Assert.That(merged, Does.Contain("bandwidth: 25 GB"), "a patched item keeps the keys the patch does not name");
    }

    [Test]
    public void Merge_replaces_scalars_and_adds_new_keys()
    {
        var merged = YamlOverlay.Merge(Base, "sw_param:\n  kernel_launch_overhead: 2e-6\n  dp_zero_stage: 3\n");
        Assert.That(merged, Does.Contain("kernel_launch_overhead: 2e-6").And.Contain("dp_zero_stage: 3").And.Not.Contain("9e-6"));
    }

    [Test]
    public void Empty_overlay_returns_the_base_text()
    {
        Assert.That(YamlOverlay.Merge(Base, " "), Is.SameAs(Base));
    }

    [Test]
    public void ForceAnalytical_sets_the_backend_and_ring_topologies()
    {
        var text = YamlOverlay.ForceAnalytical(Base, out var changed);
        Assert.That(changed, Is.True);
        Assert.That(text, Does.Contain("model: analytical").And.Not.Contain("FullyConnected"));
        YamlOverlay.ForceAnalytical(text, out var again);
        Assert.That(again, Is.False);
    }

    [Test]
    public void Calibration_parameter_overlay_addresses_list_items_by_id()
    {
        var parameter = new CalibrationParameter("network.dimensions[dim0].topology.latency", new([4e-6]));
        var merged = YamlOverlay.Merge(Base, parameter.Overlay(4e-6));
        Assert.That(merged, Does.Contain("latency: 4E-06").And.Contain("bandwidth: 250 GB"));
    }
}
