using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Routing;
using LlmGate.Ui.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Ui.Pages;

/// <summary><c>GET /ui/incidents</c>: the open incidents and the last <see cref="DeliveryLog.RecentCapacity"/> delivery attempts.</summary>
internal static class IncidentsEndpoint
{
    public const string Path = "/ui/incidents";

    public static IResult Get(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.RequestServices;
        var model = Build(
            services.GetRequiredService<GatewaySnapshotSource>().Current.Config.Alerting,
            services.GetService<AlertingStatusReporter>(),
            services.GetService<DeliveryLog>(),
            services.GetService<AlertScopes>());
        return UiPages.Render<IncidentsPage>(context, new Dictionary<string, object?>
        {
            [nameof(IncidentsPage.Page)] = UiPages.Context(context, "incidents", "Incidents"),
            [nameof(IncidentsPage.Model)] = model,
        });
    }

    /// <summary>The page's data; <see cref="IncidentsModel.Off"/> when alerting is not configured.</summary>
    public static IncidentsModel Build(AlertingOptions? options, AlertingStatusReporter? reporter, DeliveryLog? deliveries, AlertScopes? scopes)
    {
        if (options is null || reporter is null || deliveries is null)
        {
            return IncidentsModel.Off;
        }

        var open = reporter.Snapshot().OpenIncidents ?? [];

        // A dedup key is a hash: the window rules' keys are known in advance, the open incidents name their own class.
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        if (scopes is not null)
        {
            foreach (var rule in AlertRule.From(options))
            {
                foreach (var scope in scopes.All)
                {
                    types[DedupKeys.For(rule, scope)] = rule.ClassName;
                }
            }
        }

        foreach (var incident in open)
        {
            types[incident.DedupKey] = incident.Class;
        }

        return new IncidentsModel(
            true,
            [.. open.Select(i => new IncidentRow(i.DedupKey, i.Class, i.Scope, i.Since, i.QuietSince))],
            [.. deliveries.Recent().Select(d => new DeliveryRow(
                d.At,
                d.Action == AlertAction.Trigger ? "trigger" : "resolve",
                types.GetValueOrDefault(d.DedupKey) ?? "",
                d.Channel,
                d.DedupKey,
                d.Delivered,
                d.StatusCode,
                d.Message))]);
    }
}
