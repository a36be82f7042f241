using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>
/// Polls an async page predicate. Playwright's WaitForFunctionAsync takes the Promise an async
/// function returns for a truthy value and returns at once, so async conditions are awaited here.
/// </summary>
internal static class BrowserWait
{
    /// <param name="diagnostics">An async page function whose result goes into the timeout message.</param>
    public static async Task UntilAsync(IPage page, string asyncPredicate, int timeoutMs = 30_000, string? what = null, string? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(timeoutMs);
        while (!await page.EvaluateAsync<bool>(asyncPredicate))
        {
            if (DateTime.UtcNow > deadline)
            {
                var state = diagnostics is null ? "" : "; " + await page.EvaluateAsync<System.Text.Json.JsonElement>(diagnostics);
                throw new TimeoutException($"timed out after {timeoutMs} ms waiting for {what ?? asyncPredicate}{state}");
            }
            await Task.Delay(500);
        }
    }
}
