using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.AstraSim.Traces;

internal sealed partial class ChakraGraphConverter
{
    // Tensor/context/expert collectives of the same name and membership share one label; each distinct membership
    // (per data-parallel replica) becomes one communicator group numbered from 1000, in label order.
    private void AssignLabels()
    {
        var axisGroups = AxisGroups();
        var labelOf = new Dictionary<(string, string), string>();
        var suffixes = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokens = new SortedDictionary<string, SortedSet<(string Axis, int Dp, string Members)>>(StringComparer.Ordinal);
        var membersByKey = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        foreach (var (name, edges) in LabelledCollectivesByName())
        {
            foreach (var edge in edges.OrderBy(e => e.OpId))
            {
                var perDp = MembersPerReplica(edge, axisGroups);
                var primary = string.Join(",", perDp[0].Members);
                if (!labelOf.TryGetValue((name, primary), out var label))
                {
                    var suffix = suffixes.GetValueOrDefault(name);
                    label = suffix == 0 ? name : $"{name}_{suffix}";
                    suffixes[name] = suffix + 1;
                    labelOf[(name, primary)] = label;
                }

                _labels[edge] = label;
                if (!tokens.TryGetValue(label, out var set))
                {
                    tokens[label] = set = [];
                }

                foreach (var (dp, members) in perDp)
                {
                    var key = string.Join(",", members);
                    membersByKey[key] = members;
                    set.Add((edge.Axis!.Value.ToString().ToLowerInvariant(), dp, key));
                }
            }
        }

        NumberGroups(tokens, membersByKey);
    }

    // The tensor, context and expert collectives that get labels, grouped by name in order of first appearance.
    private List<(string Name, List<CommunicationVertex> Edges)> LabelledCollectivesByName()
    {
        var byName = new Dictionary<string, List<CommunicationVertex>>(StringComparer.Ordinal);
        var names = new List<(string Name, List<CommunicationVertex> Edges)>();
        foreach (var vertex in _collectiveStage.Keys.Cast<CommunicationVertex>())
        {
            if (vertex.Axis is null or ParallelismAxis.Dp or ParallelismAxis.Pp || IsOutsideExpertCollective(vertex))
            {
                continue;
            }

            if (!byName.TryGetValue(vertex.Name, out var list))
            {
                byName[vertex.Name] = list = [];
                names.Add((vertex.Name, list));
            }

            list.Add(vertex);
        }

        return names;
    }

    // The ranks a collective spans in each data-parallel replica (a lone rank where its axis has no group there).
    private List<(int Dp, IReadOnlyList<int> Members)> MembersPerReplica(
        CommunicationVertex edge, Dictionary<(ParallelismAxis, int, string), IReadOnlyList<int>> axisGroups)
    {
        var axis = edge.Axis!.Value;
        var stage = _collectiveStage[edge];
        var coordinates = _layout.Coordinates(stage);
        var keyBase = KeyBase(coordinates, [axis]);
        var composite = axis == ParallelismAxis.Ep && _layout.SizeOf(ParallelismAxis.Tp) > 1
            && edge.Participants == _layout.SizeOf(ParallelismAxis.Tp) * _layout.SizeOf(ParallelismAxis.Ep);
        var perDp = new List<(int Dp, IReadOnlyList<int> Members)>();
        for (var dp = 0; dp < _dataParallel; dp++)
        {
            IReadOnlyList<int>? members = composite
                ? CompositeMembers(stage, dp, [ParallelismAxis.Tp, ParallelismAxis.Ep])
                : axisGroups.TryGetValue((axis, dp, keyBase), out var found) ? found : null;
            if (members is null || members.Count == 0)
            {
                members = [RankFor(stage, dp)];
            }

            perDp.Add((dp, members));
        }

        return perDp;
    }

    // One communicator group id per distinct membership, from FirstTensorGroupId in label, axis, replica and member order.
    private void NumberGroups(
        SortedDictionary<string, SortedSet<(string Axis, int Dp, string Members)>> tokens, Dictionary<string, IReadOnlyList<int>> membersByKey)
    {
        var groupOfMembers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (label, set) in tokens)
        {
            foreach (var (_, dp, key) in set.OrderBy(t => t.Axis, StringComparer.Ordinal).ThenBy(t => t.Dp).ThenBy(t => membersByKey[t.Members], MemberListComparer.Instance))
            {
                if (!groupOfMembers.TryGetValue(key, out var id))
                {
                    id = FirstTensorGroupId + groupOfMembers.Count;
                    groupOfMembers[key] = id;
                    _tensorGroups[id] = membersByKey[key];
                }

                _labelGroups[(label, dp)] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    private string KeyBase(IReadOnlyDictionary<ParallelismAxis, int> coordinates, ParallelismAxis[] excluded) =>
        string.Join(";", _layout.Axes.Where(a => !excluded.Contains(a.Axis)).Select(a => $"{a.Axis}={coordinates.GetValueOrDefault(a.Axis)}"));

    private Dictionary<(ParallelismAxis, int, string), IReadOnlyList<int>> AxisGroups()
    {
        var groups = new Dictionary<(ParallelismAxis, int, string), IReadOnlyList<int>>();
        foreach (var (axis, size) in _layout.Axes)
        {
            if (size <= 1)
            {
                continue;
            }

            var members = new Dictionary<(ParallelismAxis, int, string), SortedSet<int>>();
            foreach (var stage in _stageIds)
            {
                var keyBase = KeyBase(_layout.Coordinates(stage), [axis]);
                for (var dp = 0; dp < _dataParallel; dp++)
                {
                    if (!members.TryGetValue((axis, dp, keyBase), out var set))
                    {
                        members[(axis, dp, keyBase)] = set = [];
                    }

                    set.Add(RankFor(stage, dp));
                }
            }

            foreach (var (key, set) in members)
            {
                groups[key] = [.. set];
            }
        }

        return groups;
    }

    private IReadOnlyList<int> CompositeMembers(int stage, int dp, ParallelismAxis[] axes)
    {
        var keyBase = KeyBase(_layout.Coordinates(stage), axes);
        return [.. _stageIds.Where(s => KeyBase(_layout.Coordinates(s), axes) == keyBase).Select(s => RankFor(s, dp)).Distinct().Order()];
    }

    private IReadOnlyDictionary<string, IReadOnlyList<int>> CommGroups()
    {
        var groups = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        if (_dataParallel > 1)
        {
            for (var stage = 0; stage < _stageIds.Count; stage++)
            {
                // AstraSim needs group ids above 0; data-parallel groups are numbered by stage from 1.
                groups[(stage + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                    [.. Enumerable.Range(0, _dataParallel).Select(dp => dp * _stageIds.Count + stage)];
            }
        }

        foreach (var (id, members) in _tensorGroups)
        {
            groups[id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = members;
        }

        return groups;
    }

    /// <summary>Orders rank lists like Python orders tuples of ints.</summary>
    private sealed class MemberListComparer : IComparer<IReadOnlyList<int>>
    {
        public static MemberListComparer Instance { get; } = new();

        public int Compare(IReadOnlyList<int>? x, IReadOnlyList<int>? y)
        {
            for (var i = 0; i < Math.Min(x!.Count, y!.Count); i++)
            {
                var c = x[i].CompareTo(y[i]);
                if (c != 0) return c;
            }

            return x.Count.CompareTo(y.Count);
        }
    }
}
