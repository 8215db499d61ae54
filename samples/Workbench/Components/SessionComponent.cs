using Microsoft.AspNetCore.Components;

namespace RapidLlm.Workbench.Components;

/// <summary>
/// A component that shows the tab's <see cref="WorkbenchSession"/> and re-renders whenever it changes (Blazor re-renders a
/// child without parameters only when it asks to, so each view of the session listens itself).
/// </summary>
public abstract class SessionComponent : ComponentBase, IDisposable
{
    /// <summary>The tab's session.</summary>
    [Inject] protected WorkbenchSession Session { get; set; } = default!;

    /// <inheritdoc />
    public void Dispose()
    {
        Session.Changed -= OnSessionChanged;
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override void OnInitialized() => Session.Changed += OnSessionChanged;

    private void OnSessionChanged() => _ = InvokeAsync(StateHasChanged);
}
