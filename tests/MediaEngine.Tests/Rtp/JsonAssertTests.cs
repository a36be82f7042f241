using System.Text.Json.Nodes;

namespace MediaEngine.Tests.Rtp;

public class JsonAssertTests
{
    [Fact]
    public void ObjectKeyOrderIsIgnored() =>
        Assert.Null(Difference("""{"a":1,"b":{"c":"x","d":[1,2]}}""", """{"b":{"d":[1,2],"c":"x"},"a":1}"""));

    [Theory]
    [InlineData("""[1,2]""", """[2,1]""", "$[0]")]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", "unexpected property \"b\"")]
    [InlineData("""{"a":1,"b":2}""", """{"a":1}""", "missing property \"b\"")]
    [InlineData("""{"a":{"b":"1"}}""", """{"a":{"b":1}}""", "$.a.b")]
    [InlineData("""{"a":[{"b":null}]}""", """{"a":[{"b":false}]}""", "$.a[0].b")]
    [InlineData("""[1]""", """[1,1]""", "expected 1 elements, got 2")]
    public void DifferencesAreReportedWithTheirPath(string expected, string actual, string expectedReport) =>
        Assert.Contains(expectedReport, Difference(expected, actual));

    private static string? Difference(string expected, string actual) =>
        JsonAssert.FindDifference(JsonNode.Parse(expected), JsonNode.Parse(actual), "$");
}
