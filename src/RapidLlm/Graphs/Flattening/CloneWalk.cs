namespace RapidLlm.Graphs.Flattening;

/// <summary>
/// The flattener's depth-first clone order, without recursion: each vertex's clone step yields the sources it reaches
/// next, and those are cloned before the step resumes. The flattener and the memory replay's skeleton of it share this
/// walk, so both visit the pipeline graph in the same order.
/// </summary>
internal static class CloneWalk
{
    public static void Run(GraphVertex root, Func<GraphVertex, IEnumerable<GraphVertex>> clone)
    {
        var stack = new Stack<IEnumerator<GraphVertex>>();
        stack.Push(clone(root).GetEnumerator());
        while (stack.Count > 0)
        {
            var top = stack.Peek();
            if (top.MoveNext())
            {
                stack.Push(clone(top.Current).GetEnumerator());
            }
            else
            {
                top.Dispose();
                stack.Pop();
            }
        }
    }
}
