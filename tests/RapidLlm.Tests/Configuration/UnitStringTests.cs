using System.Globalization;
using System.Text.Json;
using RapidLlm.Configuration.Yaml;

namespace RapidLlm.Tests.Configuration;

public class UnitStringTests
{
    private static IEnumerable<TestCaseData> Entries()
    {
        var root = TestData.Json(Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "golden", "unit_strings.json"));
        foreach (var e in root.GetProperty("entries").EnumerateArray())
            yield return new TestCaseData(e.GetProperty("input").GetString()!, e.GetRawText()).SetName("Unit string '" + e.GetProperty("input").GetString() + "'");
    }

    [TestCaseSource(nameof(Entries))]
    public void ConvertMatchesReference(string input, string json)
    {
        var entry = JsonDocument.Parse(json).RootElement;
        AssertSame(UnitString.Convert(input), entry.GetProperty("convert_value"), "convert_value");
        if (input.Length > 0)
            AssertSame(Yaml11Scalar.Resolve(input.Trim(), plain: true), entry.GetProperty("yaml_then_convert"), "yaml_then_convert");
    }

    [Test]
    public void AllSixtyFiveEntriesArePresent() => Assert.That(Entries().Count(), Is.EqualTo(65));

    private static void AssertSame(ScalarValue actual, JsonElement expected, string what)
    {
        var type = expected.GetProperty("type").GetString();
        var value = expected.GetProperty("value");
        switch (type)
        {
            case "str":
                Assert.That(actual.Kind, Is.EqualTo(ScalarKind.String), what);
                Assert.That(actual.Text, Is.EqualTo(value.GetString()), what);
                break;
            case "bool":
                Assert.That(actual.Kind, Is.EqualTo(ScalarKind.Bool), what);
                Assert.That(actual.Bool, Is.EqualTo(value.GetBoolean()), what);
                break;
            case "int":
                Assert.That(actual.Kind, Is.EqualTo(ScalarKind.Int), what);
                Assert.That(actual.Int, Is.EqualTo(value.GetInt64()), what);
                break;
            default:
                Assert.That(actual.Kind, Is.EqualTo(ScalarKind.Float), what);
                var number = value.ValueKind == JsonValueKind.String
                    ? double.Parse(value.GetString()!.Replace("inf", "Infinity", StringComparison.Ordinal).Replace("nan", "NaN", StringComparison.Ordinal), CultureInfo.InvariantCulture)
                    : value.GetDouble();
                Assert.That(actual.Float, Is.EqualTo(number), what);
                break;
        }
    }
}
