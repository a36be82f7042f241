using Signaling.Metrics;

namespace Host.Tests;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Writes_help_type_and_samples_with_escaped_labels_and_special_values()
    {
        var writer = new PrometheusTextWriter();
        writer.Family("x_total", "counter", "Back\\slash and\nnew line.");
        writer.Sample("x_total", 42, ("a", "q\"uote"), ("b", "back\\slash\nline"));
        writer.Sample("x_total", double.PositiveInfinity);
        writer.Family("y", "gauge", "Y.");
        writer.Sample("y", 0.5);
        writer.Sample("y", double.NaN, ("k", "v"));

        Assert.Equal(
            "# HELP x_total Back\\\\slash and\\nnew line.\n" +
            "# TYPE x_total counter\n" +
            "x_total{a=\"q\\\"uote\",b=\"back\\\\slash\\nline\"} 42\n" +
            "x_total +Inf\n" +
            "# HELP y Y.\n" +
            "# TYPE y gauge\n" +
            "y 0.5\n" +
            "y{k=\"v\"} NaN\n",
            writer.ToString());
    }

    [Fact]
    public void A_family_cannot_be_started_twice()
    {
        var writer = new PrometheusTextWriter();
        writer.Family("x", "gauge", "X.");
        Assert.Throws<InvalidOperationException>(() => writer.Family("x", "gauge", "X again."));
    }
}
