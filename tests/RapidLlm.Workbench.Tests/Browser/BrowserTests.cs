using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace RapidLlm.Workbench.Tests.Browser;

/// <summary>
/// End-to-end: the workbench in its own process, driven in the system's headless Chromium (never a downloaded browser).
/// Every page load must make no request outside the app and log no console error. Screenshots go to
/// <c>screenshots/</c> in the test output folder.
/// </summary>
[TestFixture, NonParallelizable, Category("Browser")]
public class BrowserTests
{
    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private WorkbenchServer _server = default!;
    private IPlaywright _playwright = default!;
    private IBrowserContext _browser = default!;
    private string _profile = "";
    private readonly List<string> _external = [];
    private readonly List<string> _consoleErrors = [];

    private static string ScreenshotDirectory => Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("RAPIDLLM_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            var how = $"The browser tests need Chromium at {chromium}: install it with `sudo apt-get install -y chromium` (Debian/Ubuntu) or point RAPIDLLM_CHROMIUM at a Chromium binary.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(how);
            Assert.Ignore(how);
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        SetDefaultExpectTimeout(20_000);
        _server = await WorkbenchServer.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _profile = Directory.CreateTempSubdirectory("wb-chromium-profile-").FullName;
        _browser = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumFlags,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            AcceptDownloads = true,
        });
        var origin = new Uri(_server.Url);
        await _browser.RouteAsync("**/*", async route =>
        {
            var uri = new Uri(route.Request.Url);
            if (uri.Scheme is "data" or "blob" || (uri.Host == origin.Host && uri.Port == origin.Port))
            {
                await route.ContinueAsync();
                return;
            }

            lock (_external) _external.Add(route.Request.Url);
            await route.AbortAsync();
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        if (_profile.Length > 0)
        {
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be closing a file; the temporary folder goes with the system's clean-up.
            }
        }
    }

    [TearDown]
    public void NoExternalRequestsNorConsoleErrors()
    {
        lock (_external) Assert.That(_external, Is.Empty, "requests outside the app");
        lock (_consoleErrors) Assert.That(_consoleErrors, Is.Empty, "console errors");
    }

    [Test]
    public async Task The_server_prints_its_url_and_serves_every_file_itself()
    {
        var page = await OpenAsync();
        Assert.That(_server.Output, Does.Contain("RapidLlm Workbench: open " + _server.Url.TrimEnd('/')));
        var sources = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('script[src], link[href], img[src]')].map(e => e.src || e.href)");
        Assert.That(sources, Is.Not.Empty);
        Assert.That(sources, Has.All.StartsWith(_server.Url));
        await page.CloseAsync();
    }

    [Test]
    public async Task An_estimate_runs_and_shows_figures_charts_warnings_and_downloads()
    {
        var page = await OpenAsync();
        await page.FillAsync("#f-hbm", "8 GB");
        await page.ClickAsync("#run-button");
        var view = page.Locator("#run-view[data-status=completed]");
        await Expect(view).ToBeVisibleAsync(new() { Timeout = 60_000 });

        await Expect(page.Locator("#headline-time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d+)? (m|µ|n)?s$"));
        await Expect(page.Locator("#estimate-warnings")).ToContainTextAsync("Does not fit: the peak");
        Assert.That(await page.Locator("#chart-time-breakdown .plot.wide svg rect.bar").CountAsync(), Is.GreaterThan(8));
        await Expect(page.Locator("#chart-memory .plot.wide svg line.reference")).ToHaveCountAsync(1);
        await Expect(page.Locator("#estimate-metrics")).ToContainTextAsync("time per batch");

        var id = await view.GetAttributeAsync("data-run");
        var json = await page.APIRequest.GetAsync($"{_server.Url}runs/{id}/files/result.json");
        Assert.That(json.Status, Is.EqualTo(200));
        using var document = JsonDocument.Parse(await json.TextAsync());
        Assert.That(document.RootElement.GetProperty("metrics").EnumerateArray().First().GetProperty("metric").GetString(), Is.EqualTo("time per batch"));
        var csv = await page.APIRequest.GetAsync($"{_server.Url}runs/{id}/files/result.csv");
        Assert.That(await csv.TextAsync(), Does.StartWith("metric,value,unit\ntime per batch,"));
        var yaml = await page.APIRequest.GetAsync($"{_server.Url}runs/{id}/files/hardware.yaml");
        Assert.That(await yaml.TextAsync(), Does.Contain("tp: 2"));
        Assert.That(File.Exists(Path.Combine(_server.DataDirectory, "runs", id!, "run.json")), Is.True, "kept on disk");

        await ScreenshotAsync(page, "estimate-1400");
        await page.CloseAsync();
    }

    [Test]
    public async Task The_validators_message_appears_next_to_the_field_as_you_type()
    {
        var page = await OpenAsync();
        var tp = page.Locator("#f-tp");
        await tp.FillAsync("");
        await tp.PressSequentiallyAsync("0");
        await Expect(page.Locator("[data-field=tp] .field-message.error")).ToHaveTextAsync("must be >= 1");
        await Expect(page.Locator("#run-button")).ToBeDisabledAsync();
        await Expect(page.Locator("#problem-summary")).ToContainTextAsync("1 error");
        await page.ClickAsync("#yaml-tab-hardware");
        await Expect(page.Locator("#yaml-text")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("tp: 0"));
        await ScreenshotAsync(page, "field-error-1400", fullPage: false);

        await tp.FillAsync("4");
        await Expect(page.Locator("[data-field=tp] .field-message")).ToHaveCountAsync(0);
        await Expect(page.Locator("#run-button")).ToBeEnabledAsync();
        await page.CloseAsync();
    }

    [Test]
    public async Task A_two_setting_sweep_draws_a_line_per_value_of_the_second()
    {
        var page = await OpenAsync();
        await page.FillAsync("#f-batch", "64");
        await page.ClickAsync("#run-tab-sweep");
        await page.FillAsync("#sweep-values-0", "1, 2, 4");
        await page.SelectOptionAsync("#sweep-field-1", "mb");
        await page.FillAsync("#sweep-values-1", "1, 2");
        await Expect(page.Locator("#run-button")).ToHaveTextAsync("Run sweep (6 points)");
        await page.ClickAsync("#run-button");
        await Expect(page.Locator("#run-view[data-status=completed]")).ToBeVisibleAsync(new() { Timeout = 90_000 });

        await Expect(page.Locator("#sweep-points tbody tr")).ToHaveCountAsync(6);
        await Expect(page.Locator("#chart-sweep-time .plot.wide svg circle")).ToHaveCountAsync(6);
        await Expect(page.Locator("#chart-sweep-time .plot.wide svg polyline")).ToHaveCountAsync(2);
        await Expect(page.Locator("#chart-sweep-memory .plot.wide svg line.reference")).ToHaveCountAsync(1);
        await Expect(page.Locator("#sweep-summary")).ToContainTextAsync("6 points over Tensor parallel × Micro-batches");
        await ScreenshotAsync(page, "sweep-1400");
        await page.SetViewportSizeAsync(1400, 1050);
        await ScreenshotAsync(page, "readme-workbench-1400", fullPage: false);
        await page.CloseAsync();
    }

    [TestCase("Llama3.1-8B_inf.yaml", "H100_SXM5_80GB.yaml", "Time to first token")]
    [TestCase("GEMM.yaml", "H100_SXM5_80GB.yaml", "GEMM time")]
    [TestCase("ViT-B16_inf.yaml", "a100_80GB.yaml", "Total time")]
    public async Task Other_kinds_of_model_estimate_with_their_own_figures(string model, string hardware, string figure)
    {
        var page = await OpenAsync();
        await page.SelectOptionAsync("#hardware-preset", hardware);
        await page.SelectOptionAsync("#model-preset", model);
        await Expect(page.Locator("#form-model legend")).ToContainTextAsync(model);
        await RunEstimateAsync(page);
        await Expect(page.Locator("#estimate-headline")).ToContainTextAsync(figure);
        await Expect(page.Locator("#chart-time-breakdown .plot.wide svg rect.bar").First).ToBeAttachedAsync();
        await ScreenshotAsync(page, "estimate-" + Path.GetFileNameWithoutExtension(model) + "-1400");
        await page.CloseAsync();
    }

    [Test]
    public async Task A_long_sweep_can_be_cancelled()
    {
        var page = await OpenAsync();
        await page.SelectOptionAsync("#model-preset", "Llama3.1-70B.yaml");
        await page.ClickAsync("#run-tab-sweep");
        await page.SelectOptionAsync("#sweep-field-0", "mb");
        await page.FillAsync("#sweep-values-0", "1..64*2");
        await page.SelectOptionAsync("#sweep-field-1", "seq-len");
        await page.FillAsync("#sweep-values-1", "1024..1080");
        await page.ClickAsync("#run-button");
        await Expect(page.Locator("#cancel-button")).ToBeVisibleAsync();
        await Expect(page.Locator("#progress-text")).ToContainTextAsync("of 399");
        await page.ClickAsync("#cancel-button");
        await Expect(page.Locator("#run-view[data-status=cancelled]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("#run-view")).ToContainTextAsync("Cancelled.");
        await Expect(page.Locator("#run-button")).ToBeEnabledAsync();
        await page.CloseAsync();
    }

    [Test]
    public async Task A_search_ranks_candidates_draws_the_front_and_opens_a_candidate_as_an_estimate()
    {
        var page = await OpenAsync();
        await StartSmallSearchAsync(page);
        var view = page.Locator("#run-view[data-status=completed]");
        await Expect(view).ToBeVisibleAsync(new() { Timeout = 120_000 });

        var rows = page.Locator("#search-candidates tbody tr");
        Assert.That(await rows.CountAsync(), Is.GreaterThan(3));
        await Expect(rows.First.Locator("td.fit")).ToHaveTextAsync("yes");
        await Expect(rows.First.Locator("td").Nth(2)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d+)? (m)?s$"));
        await Expect(page.Locator("#search-summary")).ToContainTextAsync("8 GPUs, training, ranked by time per batch");
        await Expect(page.Locator("#search-best")).ToHaveTextAsync(await rows.First.Locator("td.config .config-label").InnerTextAsync());
        var front = page.Locator("#chart-pareto .plot.wide svg circle.front");
        Assert.That(await front.CountAsync(), Is.GreaterThan(0));
        await Expect(page.Locator("#chart-pareto .plot.wide svg line.reference")).ToHaveCountAsync(1);

        // The export is the library's document: every candidate, the counts, the schema.
        var id = await view.GetAttributeAsync("data-run");
        var json = await page.APIRequest.GetAsync($"{_server.Url}runs/{id}/files/result.json");
        using var document = JsonDocument.Parse(await json.TextAsync());
        var root = document.RootElement;
        Assert.That(root.GetProperty("schema").GetString(), Is.EqualTo("rapid-llm-search/1"));
        Assert.That(root.GetProperty("candidates").GetArrayLength(), Is.EqualTo(root.GetProperty("evaluated").GetInt32()));
        var csv = await (await page.APIRequest.GetAsync($"{_server.Url}runs/{id}/files/result.csv")).TextAsync();
        Assert.That(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(root.GetProperty("evaluated").GetInt32() + 1));
        Assert.That(csv, Does.StartWith("tp,cp,pp,dp,ep,micro_batches,zero_stage,recompute"));
        await ScreenshotAsync(page, "search-1400");

        // A point of the front opens the candidate's details; its full estimate lands in the history and the comparison.
        await front.First.ClickAsync();
        var details = page.Locator("#candidate-details");
        await Expect(details).ToBeVisibleAsync();
        var rank = await details.GetAttributeAsync("data-rank");
        var row = page.Locator($"#search-candidates tbody tr[data-rank='{rank}']");
        await Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("selected"));
        var time = await row.Locator("td").Nth(2).InnerTextAsync();
        var memory = await row.Locator("td").Nth(5).InnerTextAsync();
        var label = await row.Locator("td.config .config-label").InnerTextAsync();
        await ScreenshotAsync(page, "search-candidate-1400");
        // The README's picture (docs/images/workbench.png): the window as a user sees it after the search.
        await page.SetViewportSizeAsync(1400, 1500);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await ScreenshotAsync(page, "readme-search-1400", fullPage: false);
        await page.SetViewportSizeAsync(1400, 900);
        await page.ClickAsync("#candidate-compare");
        await Expect(page.Locator($"#run-view[data-status=completed]:not([data-run='{id}'])")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("#candidate-origin")).ToContainTextAsync($"Candidate {rank} of");
        await Expect(page.Locator("#headline-time")).ToHaveTextAsync(time);
        await Expect(page.Locator("#headline-memory")).ToHaveTextAsync(memory);
        Assert.That(await page.Locator("#chart-time-breakdown .plot.wide svg rect.bar").CountAsync(), Is.GreaterThan(8));
        await Expect(page.Locator("#chart-memory .plot.wide svg line.reference")).ToHaveCountAsync(1);
        await Expect(page.Locator("#nav-compare .count")).ToHaveTextAsync("1");
        var estimateId = await page.Locator("#run-view").GetAttributeAsync("data-run");
        var yaml = await (await page.APIRequest.GetAsync($"{_server.Url}runs/{estimateId}/files/hardware.yaml")).TextAsync();
        var tp = System.Text.RegularExpressions.Regex.Match(label, @"tp(\d+)").Groups[1].Value;
        Assert.That(yaml, Does.Contain($"tp: {tp}"));
        await ScreenshotAsync(page, "search-candidate-estimate-1400");

        await page.ClickAsync("#back-to-search");
        await Expect(page.Locator($"#run-view[data-run='{id}'] #search-candidates")).ToBeVisibleAsync();
        await page.CloseAsync();
    }

    [Test]
    public async Task A_long_search_can_be_cancelled()
    {
        var page = await OpenAsync();
        await page.SelectOptionAsync("#model-preset", "Llama3.1-70B.yaml");
        await page.ClickAsync("#run-tab-search");
        await page.FillAsync("#search-gpus", "64");
        await page.CheckAsync("#search-schedule-1f1b");
        await Expect(page.Locator("#run-button")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Search \(\d{4,} candidates\)$"));
        await page.ClickAsync("#run-button");
        await Expect(page.Locator("#cancel-button")).ToBeVisibleAsync();
        await Expect(page.Locator("#progress-text")).ToContainTextAsync("search on 64 GPUs");
        await page.ClickAsync("#cancel-button");
        await Expect(page.Locator("#run-view[data-status=cancelled]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#run-view")).ToContainTextAsync("Cancelled.");
        await Expect(page.Locator("#run-button")).ToBeEnabledAsync();
        await page.CloseAsync();
    }

    [Test]
    public async Task Two_tabs_search_with_their_own_choices()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        await first.ClickAsync("#run-tab-search");
        await second.ClickAsync("#run-tab-search");
        await first.FillAsync("#search-tp", "2");
        await Expect(first.Locator("#run-button")).Not.ToHaveTextAsync(await second.Locator("#run-button").InnerTextAsync());
        await Expect(second.Locator("#search-tp")).ToHaveValueAsync("");
        await first.CloseAsync();
        await second.CloseAsync();
    }

    [Test]
    public async Task Two_runs_compare_side_by_side_with_their_differences_marked()
    {
        var page = await OpenAsync();
        await page.FillAsync("#f-batch", "64");
        await RunEstimateAsync(page);
        await page.Locator("#run-view input[id^=compare-]").CheckAsync();
        await page.FillAsync("#f-tp", "4");
        await RunEstimateAsync(page);
        await page.Locator("#run-view input[id^=compare-]").CheckAsync();
        await Expect(page.Locator("#nav-compare .count")).ToHaveTextAsync("2");

        await page.ClickAsync("#nav-compare");
        var table = page.Locator("#compare-table");
        await Expect(table.Locator("thead th")).ToHaveCountAsync(3);
        var tpRow = table.Locator("tbody tr", new() { Has = page.Locator("th", new() { HasTextString = "Tensor parallel" }) });
        await Expect(tpRow.Locator("td")).ToHaveTextAsync(["2", "4"]);
        await Expect(tpRow.Locator("td.differs")).ToHaveCountAsync(1);
        await Expect(page.Locator("#chart-compare-time .plot.wide svg rect.bar")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "compare-1400");
        var all = await table.Locator("tbody tr").CountAsync();
        await page.CheckAsync("#compare-differences");
        await Expect(tpRow).ToHaveCountAsync(1);
        await Expect(table.Locator("tbody tr", new() { Has = page.Locator("th", new() { HasTextString = "Hidden size" }) })).ToHaveCountAsync(0);
        Assert.That(await table.Locator("tbody tr").CountAsync(), Is.LessThan(all));
        await page.CloseAsync();
    }

    [Test]
    public async Task Two_tabs_keep_their_own_setups()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        await first.FillAsync("#f-tp", "8");
        await Expect(first.Locator("#f-tp")).ToHaveValueAsync("8");
        await Expect(second.Locator("#f-tp")).ToHaveValueAsync("2");
        await first.CloseAsync();
        await second.CloseAsync();
    }

    [Test]
    public async Task A_hugging_face_config_loads_into_the_form()
    {
        var page = await OpenAsync();
        await page.Locator("#hf-options-summary").ClickAsync();
        await page.SelectOptionAsync("#hf-run-type", "inference");
        await page.FillAsync("#hf-seq", "2048");
        await page.Locator("#hf-seq").BlurAsync();
        await page.SetInputFilesAsync("#model-upload", TestData.Path("qwen2.5-3b-config.json"));
        await Expect(page.Locator("#source-message")).ToContainTextAsync("Imported qwen2.5-3b-config.json (qwen2) as a inference model");
        await Expect(page.Locator("#f-layers")).ToHaveValueAsync("36");
        await Expect(page.Locator("#f-run-type")).ToHaveValueAsync("inference");
        await Expect(page.Locator("#f-seq-len")).ToHaveValueAsync("2048");
        await page.CloseAsync();
    }

    [Test]
    public async Task The_keyboard_reaches_the_skip_link_first_and_enter_runs()
    {
        var page = await OpenAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.That(await page.EvaluateAsync<string>("() => document.activeElement.className"), Is.EqualTo("skip-link"));
        await page.FocusAsync("#run-button");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#run-view[data-status=completed]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.CloseAsync();
    }

    [TestCase(1400)]
    [TestCase(390)]
    public async Task No_page_overflows_horizontally(int width)
    {
        var page = await OpenAsync(width);
        await page.FillAsync("#f-batch", "64");
        await RunEstimateAsync(page);
        await page.Locator("#run-view input[id^=compare-]").CheckAsync();
        await Overflow(page, $"workbench-estimate-{width}");

        await page.ClickAsync("#run-tab-sweep");
        await page.FillAsync("#sweep-values-0", "1, 2, 4, 8");
        await RunAndWaitAsync(page);
        await page.Locator("#run-view input[id^=compare-]").CheckAsync();
        await Overflow(page, $"workbench-sweep-{width}");
        var id = await page.Locator("#run-view").GetAttributeAsync("data-run");

        await StartSmallSearchAsync(page);
        await Expect(page.Locator($"#run-view[data-status=completed]:not([data-run='{id}'])")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await page.Locator("#search-candidates td.config button").First.ClickAsync();
        await Expect(page.Locator("#candidate-details")).ToBeVisibleAsync();
        await Overflow(page, $"workbench-search-{width}");

        await page.ClickAsync("#nav-history");
        await Expect(page.Locator("#session-run-list .run-card")).ToHaveCountAsync(3);
        await Overflow(page, $"history-{width}");
        await page.ClickAsync("#nav-compare");
        await Expect(page.Locator("#compare-table")).ToBeVisibleAsync();
        await Overflow(page, $"compare-{width}");
        await page.GotoAsync($"{_server.Url}runs/{id}");
        await Expect(page.Locator("main[data-interactive=true] #run-view")).ToBeVisibleAsync();
        await Overflow(page, $"details-{width}");
        await page.CloseAsync();
    }

    private async Task<IPage> OpenAsync(int width = 1400)
    {
        var page = await _browser.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (_consoleErrors) _consoleErrors.Add(message.Text);
        };
        await page.SetViewportSizeAsync(width, 900);
        await page.GotoAsync(_server.Url);
        await Expect(page.Locator("main[data-interactive=true]")).ToBeVisibleAsync();
        return page;
    }

    // Llama2-7B on 8 A100s, batch 64 in one step: tp free, one context-parallel rank, one or two stages, 4 or 8 micro-batches, ZeRO-1.
    private static async Task StartSmallSearchAsync(IPage page)
    {
        await page.FillAsync("#f-batch", "64");
        await page.FillAsync("#f-grad-accum", "1");
        await page.ClickAsync("#run-tab-search");
        await page.FillAsync("#search-cp", "1");
        await page.FillAsync("#search-pp", "1, 2");
        await page.FillAsync("#search-mb", "4, 8");
        foreach (var z in new[] { 0, 2, 3 }) await page.UncheckAsync($"#search-zero-{z}");
        await Expect(page.Locator("#run-button")).ToHaveTextAsync("Search (28 candidates)");
        await page.ClickAsync("#run-button");
    }

    private static async Task RunEstimateAsync(IPage page)
    {
        await page.ClickAsync("#run-tab-estimate");
        await RunAndWaitAsync(page);
    }

    // Clicks Run and waits for a new run (not the one shown before) to complete.
    private static async Task RunAndWaitAsync(IPage page, int timeoutMs = 90_000)
    {
        var before = await page.EvaluateAsync<string>("() => document.querySelector('#run-view')?.dataset.run ?? ''");
        await page.ClickAsync("#run-button");
        await Expect(page.Locator($"#run-view[data-status=completed]:not([data-run='{before}'])")).ToBeVisibleAsync(new() { Timeout = timeoutMs });
    }

    // Fails when the document is wider than the window or any element sticks out of it (other than inside a scroll box).
    private static async Task Overflow(IPage page, string name)
    {
        await ScreenshotAsync(page, name);
        var result = await page.EvaluateAsync<JsonElement>("""
            () => {
                const width = document.documentElement.clientWidth;
                const offenders = [];
                const skip = el => el.closest('.skip-link, .visually-hidden, .visually-hidden-input');
                const inScrollBox = el => {
                    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                        const o = getComputedStyle(p).overflowX;
                        if (o === 'auto' || o === 'scroll') return true;
                    }
                    return false;
                };
                for (const el of document.querySelectorAll('body *')) {
                    if (skip(el)) continue;
                    const r = el.getBoundingClientRect();
                    if (r.width === 0 || r.height === 0) continue;
                    if ((r.right > width + 1 || r.left < -1) && !inScrollBox(el))
                        offenders.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${String(el.className.baseVal ?? el.className).split(' ').join('.')} [${Math.round(r.left)}..${Math.round(r.right)}]`);
                }
                return { scroll: document.documentElement.scrollWidth, width, offenders: offenders.slice(0, 8) };
            }
            """);
        var scroll = result.GetProperty("scroll").GetInt32();
        var width = result.GetProperty("width").GetInt32();
        var offenders = result.GetProperty("offenders").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(scroll, Is.LessThanOrEqualTo(width), $"{name}: the page scrolls horizontally");
            Assert.That(offenders, Is.Empty, $"{name}: elements outside the window");
        });
    }

    // A full-page screenshot; a narrow page is also saved in window-high parts (part1, part2, …) that are easy to look at.
    private static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        TestContext.AddTestAttachment(path, name);
        var width = page.ViewportSize?.Width ?? 1400;
        if (!fullPage || width > 600) return;
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        for (var (top, part) = (0, 1); top < height && part <= 6; top += 1400, part++)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(ScreenshotDirectory, $"{name}-part{part}.png"), FullPage = true,
                Clip = new Clip { X = 0, Y = top, Width = width, Height = Math.Min(1400, height - top) },
            });
        }
    }
}
