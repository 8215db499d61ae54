using RapidLlm.Common;
using RapidLlm.Graphs;

namespace RapidLlm.Execution;

/// <summary>
/// One vertex of a <see cref="StepGraph"/>: a piece of work that holds one device (<see cref="Device"/> set), a transfer
/// (<see cref="Collective"/> set; zero-byte ordering links included) or the start vertex (neither). Read-only.
/// </summary>
public sealed class StepVertex
{
    internal StepVertex(int id, GraphVertex vertex, double durationSeconds, IReadOnlyList<int> dependencies, IReadOnlyList<int> dependents)
    {
        Id = id;
        Name = vertex.Name;
        Role = vertex.Role;
        DurationSeconds = durationSeconds;
        Dependencies = dependencies;
        Dependents = dependents;
        switch (vertex)
        {
            case ComputeVertex compute:
                Device = compute.HardwareId;
                Stage = compute.Stage;
                MicroBatch = compute.MicroBatch;
                Layer = compute.Layer;
                IsForward = compute.IsForward;
                break;
            case CommunicationVertex communication:
                Collective = communication.Kind;
                Bytes = communication.SizeBytes;
                Participants = communication.Participants;
                Axis = communication.Axis;
                Stage = communication.Stage;
                IsForward = communication.Direction is { } direction ? direction == PassDirection.Forward : null;
                break;
        }
    }

    /// <summary>The vertex's position in <see cref="StepGraph.Vertices"/> (and in a schedule's lists).</summary>
    public int Id { get; }

    /// <summary>A display name (not unique; never decide by it, use <see cref="Role"/>).</summary>
    public string Name { get; }

    /// <summary>What the vertex stands for in the model.</summary>
    public VertexRole Role { get; }

    /// <summary>
    /// The analytical model's duration in seconds: compute time for work, the collective model's time for a transfer
    /// that moves bytes, 0 for ordering links and usually for the start vertex.
    /// </summary>
    public double DurationSeconds { get; }

    /// <summary>The device (pipeline stage's GPU, 0-based) the work holds for its whole duration; a device runs one such vertex at a time. Null for transfers and the start vertex, which hold no device.</summary>
    public int? Device { get; }

    /// <summary>True for work (a vertex that holds a <see cref="Device"/>).</summary>
    public bool IsCompute => Device is not null;

    /// <summary>The pipeline stage, where recorded.</summary>
    public int? Stage { get; }

    /// <summary>The micro-batch, for work that belongs to one.</summary>
    public int? MicroBatch { get; }

    /// <summary>The transformer layer, for work that belongs to one.</summary>
    public int? Layer { get; }

    /// <summary>True for forward work (recomputation included), false for backward and optimizer work; null where not recorded.</summary>
    public bool? IsForward { get; }

    /// <summary>The collective a transfer performs (<see cref="CollectiveKind.PointToPoint"/> for sends and ordering links); null for work and the start vertex.</summary>
    public CollectiveKind? Collective { get; }

    /// <summary>Bytes a transfer moves (0 for ordering links and for vertices that are not transfers).</summary>
    public double Bytes { get; }

    /// <summary>Ranks taking part in a transfer (0 for vertices that are not transfers).</summary>
    public int Participants { get; }

    /// <summary>The parallelism axis whose links carry a transfer; null for ordering links and vertices that are not transfers.</summary>
    public ParallelismAxis? Axis { get; }

    /// <summary>The ids of the vertices that must finish before this one starts, in the graph's order (a repeated dependency appears twice).</summary>
    public IReadOnlyList<int> Dependencies { get; }

    /// <summary>The ids of the vertices that depend on this one, in the order the library's scheduler readies them.</summary>
    public IReadOnlyList<int> Dependents { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}#{Id}";
}
