using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaEngine.Tests.Rtp;

/// <summary>JSON deep equality that ignores object key order but not array order.</summary>
internal static class JsonAssert
{
    public static void Equivalent(string expectedJson, JsonNode? actual) =>
        Equivalent(JsonNode.Parse(expectedJson), actual);

    public static void Equivalent(JsonNode? expected, JsonNode? actual)
    {
        if (FindDifference(expected, actual, "$") is { } difference)
        {
            Assert.Fail($"{difference}\nactual: {actual?.ToJsonString() ?? "null"}");
        }
    }

    /// <summary>A description of the first difference, with its JSON path; null if equivalent.</summary>
    public static string? FindDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (null, null):
                return null;

            case (JsonObject expectedObject, JsonObject actualObject):
                foreach (var (key, expectedValue) in expectedObject)
                {
                    if (!actualObject.TryGetPropertyValue(key, out var actualValue))
                    {
                        return $"{path}: missing property \"{key}\"";
                    }

                    if (FindDifference(expectedValue, actualValue, $"{path}.{key}") is { } difference)
                    {
                        return difference;
                    }
                }

                var unexpected = actualObject.Select(property => property.Key).FirstOrDefault(key => !expectedObject.ContainsKey(key));
                return unexpected is null ? null : $"{path}: unexpected property \"{unexpected}\"";

            case (JsonArray expectedArray, JsonArray actualArray):
                if (expectedArray.Count != actualArray.Count)
                {
                    return $"{path}: expected {expectedArray.Count} elements, got {actualArray.Count}";
                }

                for (var i = 0; i < expectedArray.Count; i++)
                {
                    if (FindDifference(expectedArray[i], actualArray[i], $"{path}[{i}]") is { } difference)
                    {
                        return difference;
                    }
                }

                return null;

            case (JsonValue expectedValue, JsonValue actualValue):
                return SameValue(expectedValue, actualValue)
                    ? null
                    : $"{path}: expected {expectedValue.ToJsonString()}, got {actualValue.ToJsonString()}";

            default:
                return $"{path}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}";
        }
    }

    private static bool SameValue(JsonValue expected, JsonValue actual)
    {
        if (expected.GetValueKind() != actual.GetValueKind())
        {
            return false;
        }

        return expected.GetValueKind() == JsonValueKind.Number
            ? decimal.Parse(expected.ToJsonString(), CultureInfo.InvariantCulture)
              == decimal.Parse(actual.ToJsonString(), CultureInfo.InvariantCulture)
            : expected.ToJsonString() == actual.ToJsonString();
    }
}
