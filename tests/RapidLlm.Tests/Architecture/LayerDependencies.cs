using System.Reflection;
using System.Reflection.Emit;

namespace RapidLlm.Tests.Architecture;

/// <summary>One layer of the architecture: its rank (0 is the lowest) and the namespaces it owns.</summary>
/// <param name="Rank">Position from the bottom; a type may use types of its own rank or lower.</param>
/// <param name="Name">What the layer is called in docs/architecture.md.</param>
/// <param name="Namespaces">The namespaces it owns (a namespace's sub-namespaces belong to it too).</param>
public sealed record Layer(int Rank, string Name, params string[] Namespaces);

/// <summary>A reference from a type of one layer to a type of a higher layer.</summary>
/// <param name="From">The referencing type.</param>
/// <param name="FromLayer">Its layer.</param>
/// <param name="To">The referenced type.</param>
/// <param name="ToLayer">Its layer.</param>
public sealed record LayerViolation(string From, Layer FromLayer, string To, Layer ToLayer)
{
    public override string ToString() => $"{From} ({FromLayer.Name}) uses {To} ({ToLayer.Name})";
}

/// <summary>
/// Finds every type an assembly's types use (signatures, fields, locals, and the members and types named in method
/// bodies) and checks them against a layer map. Reflection over the compiled IL sees what the compiler bound, including
/// fully qualified names and types reached through <c>var</c>, which a scan of <c>using</c> lines would miss.
/// </summary>
public static class LayerDependencies
{
    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The layer that owns <paramref name="ns"/> (longest matching namespace), or null when none does.</summary>
    public static Layer? LayerOf(string? ns, IReadOnlyList<Layer> layers)
    {
        if (ns is null) return null;
        return layers
            .SelectMany(l => l.Namespaces.Select(n => (Layer: l, Namespace: n)))
            .Where(x => ns == x.Namespace || ns.StartsWith(x.Namespace + ".", StringComparison.Ordinal))
            .OrderByDescending(x => x.Namespace.Length)
            .Select(x => x.Layer)
            .FirstOrDefault();
    }

    /// <summary>Every reference from a type in <paramref name="types"/> to a type of a higher layer, deduplicated.</summary>
    public static IReadOnlyList<LayerViolation> Violations(IEnumerable<Type> types, IReadOnlyList<Layer> layers)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var violations = new List<LayerViolation>();
        foreach (var type in types)
        {
            if (LayerOf(type.Namespace, layers) is not { } fromLayer) continue;
            foreach (var used in UsedTypes(type))
            {
                if (LayerOf(used.Namespace, layers) is not { } toLayer || toLayer.Rank <= fromLayer.Rank) continue;
                var from = Outermost(type).FullName!;
                var to = Outermost(used).FullName!;
                if (found.Add(from + " -> " + to)) violations.Add(new LayerViolation(from, fromLayer, to, toLayer));
            }
        }

        return violations.OrderBy(v => v.From, StringComparer.Ordinal).ThenBy(v => v.To, StringComparer.Ordinal).ToList();
    }

    /// <summary>The types <paramref name="type"/> uses, each reduced to named (non-generic-instance, non-array) types.</summary>
    public static IEnumerable<Type> UsedTypes(Type type)
    {
        var used = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null) return;
            if (t.HasElementType)
            {
                Add(t.GetElementType());
                return;
            }

            if (t.IsGenericParameter) return;
            if (t.IsConstructedGenericType)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var a in t.GetGenericArguments()) Add(a);
                return;
            }

            used.Add(t);
        }

        void AddMember(MemberInfo? member)
        {
            switch (member)
            {
                case Type t: Add(t); break;
                case FieldInfo f: Add(f.DeclaringType); Add(f.FieldType); break;
                case MethodBase m:
                    Add(m.DeclaringType);
                    if (m is MethodInfo mi)
                    {
                        Add(mi.ReturnType);
                        if (mi.IsGenericMethod) foreach (var a in mi.GetGenericArguments()) Add(a);
                    }

                    foreach (var p in m.GetParameters()) Add(p.ParameterType);
                    break;
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var f in type.GetFields(Everything)) Add(f.FieldType);
        foreach (var p in type.GetProperties(Everything)) Add(p.PropertyType);
        foreach (var e in type.GetEvents(Everything)) Add(e.EventHandlerType);
        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            AddMember(method);
            foreach (var member in BodyReferences(method)) AddMember(member);
        }

        used.Remove(type);
        return used;
    }

    private static IEnumerable<MemberInfo> BodyReferences(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null) yield break;
        foreach (var local in body.LocalVariables) yield return local.LocalType;
        var il = body.GetILAsByteArray() ?? [];
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE) value = (short)(0xFE00 | il[position++]);
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    var token = BitConverter.ToInt32(il, position);
                    position += 4;
                    if (method.Module.ResolveMember(token, typeArgs, methodArgs) is { } member) yield return member;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, position);
                    position += 4 + 4 * count;
                    break;
                default:
                    position += 4;
                    break;
            }
        }
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }
}
