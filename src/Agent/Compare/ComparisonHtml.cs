using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace DqnStudy.Agent.Compare;

/// <summary>
/// report.html: the report as one self-contained page (figures embedded as data: URIs, inline CSS and script, no
/// network), readable on a laptop screen: tables scroll sideways inside their box rather than widening the page,
/// figures sit two to a row and open full-window on a click (Escape or a second click closes them).
/// </summary>
public static partial class ComparisonHtml
{
    public const string FileName = "report.html";

    private const string Style = """
        :root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --band: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: var(--ink); }
        main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { font-size: 1.6em; margin: 0 0 12px; }
        h2 { font-size: 1.25em; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        pre { background: var(--band); padding: 10px 12px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
        code { font: 0.9em ui-monospace, "DejaVu Sans Mono", monospace; background: var(--band); padding: 0 3px; border-radius: 3px; }
        .table { overflow-x: auto; margin: 8px 0 12px; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        th, td { border: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
        th { background: var(--band); }
        tbody tr:nth-child(even) { background: #fbfcfd; }
        ul.defs { color: var(--muted); font-size: 0.92em; padding-left: 20px; }
        .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
        figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff; }
        figure img { width: 100%; height: auto; display: block; cursor: zoom-in; }
        figcaption { color: var(--muted); font-size: 0.9em; margin-top: 4px; }
        figure.open { position: fixed; inset: 0; z-index: 10; margin: 0; border: 0; border-radius: 0; padding: 16px;
                      background: rgba(255,255,255,0.97); display: flex; flex-direction: column; align-items: center; justify-content: center; }
        figure.open img { width: auto; max-width: 100%; max-height: calc(100vh - 60px); cursor: zoom-out; }
        """;

    private const string Script = """
        document.querySelectorAll('figure').forEach(f => f.addEventListener('click', () => f.classList.toggle('open')));
        document.addEventListener('keydown', e => { if (e.key === 'Escape') document.querySelectorAll('figure.open').forEach(f => f.classList.remove('open')); });
        """;

    /// <summary>The page for `document`; its figures are read from `folder` (where CompareFigures wrote them).</summary>
    public static string Render(ReportDocument document, string folder)
    {
        ArgumentNullException.ThrowIfNull(document);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.AppendLine($"<title>{Encode(document.Title)}</title>");
        html.AppendLine($"<style>{Style}</style></head><body><main>");
        html.AppendLine($"<h1>{Encode(document.Title)}</h1>");
        html.AppendLine($"<p>Made by:</p><pre>{Encode(document.CommandLine)}</pre>");
        List(html, document.Setup, "");
        foreach (ReportSection section in document.BeforeFigures) Section(html, section);
        html.AppendLine("<h2>Figures</h2>");
        html.AppendLine("<p class=\"hint\">Click a figure to enlarge it; click again or press Escape to close.</p>");
        html.AppendLine("<div class=\"figures\">");
        foreach (Figure figure in document.Figures)
        {
            string data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(folder, figure.FileName)));
            html.AppendLine($"<figure><img src=\"data:image/png;base64,{data}\" alt=\"{Encode(figure.Title)}\">" +
                            $"<figcaption>{Encode(figure.Title)} ({Encode(figure.FileName)})</figcaption></figure>");
        }
        html.AppendLine("</div>");
        foreach (ReportSection section in document.AfterFigures) Section(html, section);
        html.AppendLine($"<script>{Script}</script>");
        html.AppendLine("</main></body></html>");
        return html.ToString();
    }

    private static void Section(StringBuilder html, ReportSection section)
    {
        html.AppendLine($"<h2>{Encode(section.Title)}</h2>");
        foreach (string paragraph in section.Paragraphs) html.AppendLine($"<p>{Inline(paragraph)}</p>");
        if (section.Table is { } table)
        {
            html.Append("<div class=\"table\"><table><thead><tr>");
            foreach (string h in table.Header) html.Append($"<th>{Encode(h)}</th>");
            html.AppendLine("</tr></thead><tbody>");
            foreach (string[] row in table.Rows)
            {
                html.Append("<tr>");
                foreach (string cell in row) html.Append($"<td>{Encode(cell)}</td>");
                html.AppendLine("</tr>");
            }
            html.AppendLine("</tbody></table></div>");
        }
        List(html, section.Bullets, section.Table is null ? "" : " class=\"defs\"");
    }

    private static void List(StringBuilder html, IReadOnlyList<string> items, string attributes)
    {
        if (items.Count == 0) return;
        html.AppendLine($"<ul{attributes}>");
        foreach (string item in items) html.AppendLine($"<li>{Inline(item)}</li>");
        html.AppendLine("</ul>");
    }

    /// <summary>Escapes the text, then turns the report's two inline marks, `code` and **bold**, into elements.</summary>
    public static string Inline(string text)
    {
        string encoded = Encode(text);
        encoded = CodeSpan().Replace(encoded, "<code>$1</code>");
        return BoldSpan().Replace(encoded, "<strong>$1</strong>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex BoldSpan();
}
