using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>
/// Polls an async page predicate. Playwright's WaitForFunctionAsync takes the Promise an async
/// function returns for a truthy value and returns at once, so async conditions are awaited here.
/// </summary>
internal static class BrowserWait
{
    public static async Task UntilAsync(IPage page, string asyncPredicate, int timeoutMs = 30_000, string? what = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(timeoutMs);
        while (!await page.EvaluateAsync<bool>(asyncPredicate))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out after {timeoutMs} ms waiting for {what ?? asyncPredicate}");
            await Task.Delay(500);
        }
    }
}
