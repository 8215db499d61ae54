using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RapidLlm.Workbench;
using RapidLlm.Workbench.Components;
using RapidLlm.Workbench.History;
using RapidLlm.Workbench.Running;

// The content root is the build output, so appsettings.json and the static files are found from any working folder.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--data-dir"] = $"{WorkbenchOptions.Section}:{nameof(WorkbenchOptions.DataDirectory)}",
    ["--astra-sim"] = $"{WorkbenchOptions.Section}:{nameof(WorkbenchOptions.AstraSimBinary)}",
});

// A local tool: loopback only unless --urls (or ASPNETCORE_URLS) says otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
    builder.WebHost.UseUrls("http://127.0.0.1:5080");

// Serve the framework's script and the app's files from the build output too, not only in Development.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddOptions<WorkbenchOptions>()
    .Bind(builder.Configuration.GetSection(WorkbenchOptions.Section))
    .PostConfigure(o => o.AstraSimBinary ??= Environment.GetEnvironmentVariable("RAPID_ASTRA_SIM_BIN"));
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddSingleton<RunArchive>();
builder.Services.AddSingleton<ISweepEngine, GridSweepEngine>();
builder.Services.AddSingleton<ISearchEngine, LibrarySearchEngine>();
builder.Services.AddScoped<WorkbenchSession>();

var app = builder.Build();
if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapGet("/runs/{id}/files/{file}", (string id, string file, RunArchive archive) =>
    archive.PathOf(id, file) is { } path
        ? Results.File(path, file.EndsWith(".json", StringComparison.Ordinal) ? "application/json"
            : file.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "application/yaml", $"{id}-{file}")
        : Results.NotFound());
app.MapGet("/error", () => Results.Problem("The workbench hit an error; the details are in its log."));

await app.StartAsync();
var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkbenchOptions>>().Value;
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
foreach (var address in addresses) Console.WriteLine($"RapidLlm Workbench: open {address} in a browser (Ctrl+C stops it).");
Console.WriteLine($"Runs are kept in {options.DataDirectory}.");
Console.WriteLine(options.ExistingAstraSimBinary is { } astra
    ? $"AstraSim modes use {astra}."
    : "AstraSim modes are off: start with --astra-sim PATH (or set RAPID_ASTRA_SIM_BIN) to enable them.");
await app.WaitForShutdownAsync();

/// <summary>The workbench's entry point (public for the tests' host).</summary>
public partial class Program;
