using System.Globalization;
using System.Text;

namespace Signaling.Metrics;

/// <summary>
/// Writes Prometheus' text exposition format (version 0.0.4): per metric family a HELP and a TYPE
/// line, then its samples, each `name{label="value",…} number`.
/// </summary>
public sealed class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new();

    /// <summary>Starts a family; its samples must follow before the next family starts.</summary>
    public void Family(string name, string type, string help)
    {
        if (!_families.Add(name))
            throw new InvalidOperationException($"metric family {name} written twice");
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    public void Sample(string name, long value, params (string Name, string Value)[] labels) =>
        Sample(name, value.ToString(CultureInfo.InvariantCulture), labels);

    public void Sample(string name, double value, params (string Name, string Value)[] labels) =>
        Sample(name, Format(value), labels);

    private void Sample(string name, string value, (string Name, string Value)[] labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                    _text.Append(',');
                _text.Append(labels[i].Name).Append("=\"").Append(EscapeLabelValue(labels[i].Value)).Append('"');
            }
            _text.Append('}');
        }
        _text.Append(' ').Append(value).Append('\n');
    }

    public override string ToString() => _text.ToString();

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string EscapeHelp(string text) => text.Replace("\\", @"\\").Replace("\n", @"\n");

    private static string EscapeLabelValue(string text) => text.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");
}
