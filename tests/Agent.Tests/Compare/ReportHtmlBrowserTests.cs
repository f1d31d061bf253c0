using System.Text.Json;
using DqnStudy.Agent.Compare;
using DqnStudy.Agent.Tests.Tools;

namespace DqnStudy.Agent.Tests.Compare;

/// <summary>
/// report.html in a real browser: headless Chromium loads it from disk with the network off and takes a screenshot.
/// A copy of the page gets a probe script first in its head that records every error (script errors, failed
/// resources, console.error) and, after load, how many images decoded; Chromium's --dump-dom hands that back.
/// </summary>
public sealed class ReportHtmlBrowserTests
{
    private const string Probe = """
        <script>
        window.__errors = [];
        window.addEventListener('error', e => __errors.push(e.message || ('failed to load ' + (e.target && (e.target.src || e.target.href)))), true);
        const __consoleError = console.error;
        console.error = (...a) => { __errors.push(a.join(' ')); __consoleError(...a); };
        window.addEventListener('load', () => {
          const images = Array.from(document.images);
          document.documentElement.setAttribute('data-probe', JSON.stringify({
            errors: __errors, images: images.length,
            decoded: images.filter(i => i.complete && i.naturalWidth > 0).length,
            tables: document.querySelectorAll('table').length,
            scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
        });
        </script>
        """;

    [SkippableFact]
    public void ReportHtml_LoadsWithoutErrors_AndEveryFigureDecodes()
    {
        string chromium = Chromium();
        using var runs = new SyntheticRuns();
        string folder = Compare(runs);
        string page = File.ReadAllText(Path.Combine(folder, ComparisonHtml.FileName));

        // Self-contained: nothing the page loads comes from a network or from a file beside it.
        Assert.DoesNotContain("src=\"http", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"diag_", page, StringComparison.Ordinal);

        var probe = Probed(chromium, page, runs.Path_("probe"));
        Assert.Empty(probe.GetProperty("errors").EnumerateArray());
        Assert.Equal(5, probe.GetProperty("images").GetInt32());
        Assert.Equal(5, probe.GetProperty("decoded").GetInt32());
        Assert.True(probe.GetProperty("tables").GetInt32() >= 3, "per-group, pairwise and versions tables");
        // A laptop-wide window needs no sideways scrolling of the page (wide tables scroll inside their own box).
        Assert.True(probe.GetProperty("scrollWidth").GetInt32() <= probe.GetProperty("clientWidth").GetInt32(), probe.ToString());

        string screenshot = Path.Combine(Path.GetTempPath(), "dqnstudy-report-html.png");
        var (code, _, stderr) = ExternalTool.Run(chromium, [.. Flags, "--window-size=1366,2400", $"--screenshot={screenshot}",
                                                            new Uri(Path.GetFullPath(Path.Combine(folder, ComparisonHtml.FileName))).AbsoluteUri],
                                                 TimeSpan.FromMinutes(2));
        Assert.True(code == 0 && File.Exists(screenshot) && new FileInfo(screenshot).Length > 10_000, $"screenshot failed ({code}): {stderr}");
    }

    [SkippableFact]
    public void Probe_SeesABrokenImage()
    {
        // The probe above must be able to fail: a figure whose bytes are not a PNG does not decode and is reported.
        string chromium = Chromium();
        using var runs = new SyntheticRuns();
        string folder = Compare(runs);
        string page = File.ReadAllText(Path.Combine(folder, ComparisonHtml.FileName));
        int at = page.IndexOf("base64,", StringComparison.Ordinal) + "base64,".Length;
        string broken = page[..at] + "AAAA" + page[(at + 4)..];
        var probe = Probed(chromium, broken, runs.Path_("probe"));
        Assert.Equal(4, probe.GetProperty("decoded").GetInt32());
        Assert.NotEmpty(probe.GetProperty("errors").EnumerateArray());
    }

    private static readonly string[] Flags =
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--hide-scrollbars",
         "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"];   // a dead proxy: any network request fails

    private static string Chromium() => ExternalTool.Require("Chromium", "apt-get install chromium",
        path => ExternalTool.Run(path, ["--headless", "--no-sandbox", "--version"], TimeSpan.FromSeconds(60)).ExitCode == 0,
        "chromium", "chromium-browser", "google-chrome");

    private static string Compare(SyntheticRuns runs)
    {
        for (int s = 0; s < 3; s++)
        {
            runs.WriteSeed("huber", s, 480 + s, loss: "huber");
            runs.WriteSeed("clipped", s, 100 + 10 * s, loss: "clipped_delta", zeroed: 0.3);
        }
        string folder = runs.Path_("out");
        Assert.Equal(CompareJob.Ok, CompareJob.Run(new CompareOptions([runs.Path_("huber"), runs.Path_("clipped")], [], folder,
                                                                      CommandLine: "compare runs/huber runs/clipped"),
                                                   _ => 475, new StringWriter(), false, out _));
        return folder;
    }

    /// <summary>Loads `page` with the probe in a 1366-pixel-wide window; returns what the probe recorded.</summary>
    private static JsonElement Probed(string chromium, string page, string folder)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "probed.html");
        File.WriteAllText(path, page.Replace("<head>", "<head>" + Probe, StringComparison.Ordinal));
        var (code, dom, stderr) = ExternalTool.Run(chromium, [.. Flags, "--window-size=1366,900", "--virtual-time-budget=5000", "--dump-dom",
                                                              new Uri(path).AbsoluteUri], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"chromium failed ({code}): {stderr}");
        int start = dom.IndexOf("data-probe=\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "the probe did not run: " + dom[..Math.Min(dom.Length, 400)]);
        start += "data-probe=\"".Length;
        string json = System.Net.WebUtility.HtmlDecode(dom[start..dom.IndexOf('"', start)]);
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
