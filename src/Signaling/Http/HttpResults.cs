using System.Text.Json;
using Actors.Rooms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Signaling.Http;

/// <summary>Writes results the way mediasoup-demo's Express app does (protocol.md §4.1).</summary>
public static class HttpResults
{
    public static async Task WriteAsync(HttpContext context, CommandResult result)
    {
        switch (result)
        {
            case CommandSuccess { PlainText: { } text }:
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(text);
                break;
            case CommandSuccess { Data: null }:
                context.Response.ContentType = "application/json; charset=utf-8";
                break;
            case CommandSuccess { Data: { } data }:
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.Body.WriteAsync(data.Utf8);
                break;
            case CommandFailure failure:
                await WriteErrorAsync(context, failure);
                break;
        }
    }

    /// <summary>Status from the failure, reason phrase = message, body "ErrorName: message".</summary>
    public static async Task WriteErrorAsync(HttpContext context, CommandFailure failure)
    {
        context.Response.StatusCode = failure.Code;
        var feature = context.Features.Get<IHttpResponseFeature>();
        if (feature is not null)
            feature.ReasonPhrase = SingleLine(failure.Message);
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"{failure.ErrorName}: {failure.Message}");
    }

    private static string SingleLine(string text) => text.ReplaceLineEndings(" ");
}
