using LlmGate.Configuration;
using LlmGate.Secrets;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// One alert type's conditions, one per problem, on the background loop alone: ONE trigger when a problem reaches
/// level 1, one more (same dedup key) for each higher level, occurrences while it is open folded into its counts, and
/// ONE resolve once <see cref="ConditionState.ResolveAt"/> has passed. A queue write that fails changes nothing, so the
/// next tick decides again. With the type's digest on (<c>alert_type_config.&lt;type&gt;.digest</c>) nothing is sent per
/// problem: every digest interval ONE non-resolvable summary of the problems seen in it, none when there were none.
/// </summary>
internal sealed class ConditionTracker
{
    private const int MaxDigestFacts = 20;

    private readonly IConditionDescriber _describer;
    private readonly ConditionContext _context;
    private readonly Dictionary<string, ConditionState> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DigestEntry>? _digest;
    private readonly TimeSpan _digestInterval;
    private DateTimeOffset _digestDue;

    public ConditionTracker(string type, string className, IConditionDescriber describer, ConditionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Type = type;
        ClassName = className;
        _describer = describer;
        _context = context;
        if (context.Options.TypeSettings.TryGetValue(type, out var settings) && settings.Digest)
        {
            _digest = new Dictionary<string, DigestEntry>(StringComparer.Ordinal);
            _digestInterval = settings.DigestInterval > TimeSpan.Zero ? settings.DigestInterval : AlertTypeSettings.DefaultDigestInterval;
            _digestDue = context.Time.GetUtcNow() + _digestInterval;
        }
    }

    public string Type { get; }

    public string ClassName { get; }

    public bool Digest => _digest is not null;

    /// <summary>The conditions open (or waiting for their trigger to be queued), for tests and status.</summary>
    public IReadOnlyCollection<ConditionState> Open => _open.Values;

    public static string DedupKeyFor(string type, ConditionProblem problem) => DedupKeys.ForCondition(type, problem.Key);

    /// <summary>
    /// Takes back the conditions told before the last stop and never resolved (the outbox keeps where each went): each
    /// resolves once <paramref name="quiet"/> passes with nothing new, as if last seen now, or goes on if it recurs.
    /// Without this a restart during an outage left every chat channel's message firing for good.
    /// </summary>
    public void Restore(TimeSpan quiet)
    {
        if (_digest is not null)
        {
            return;
        }

        var now = _context.Time.GetUtcNow();
        foreach (var (dedupKey, alert) in _context.Notifier.OpenAlerts(Type))
        {
            var problem = ProblemOf(alert.Labels);
            if (problem is null || _open.ContainsKey(problem.Key) || dedupKey != DedupKeyFor(Type, problem))
            {
                continue;
            }

            _open.Add(problem.Key, new ConditionState(problem, dedupKey)
            {
                WantedLevel = 1,
                SentLevel = 1,
                OpenedAt = alert.OpenedAt,
                ResolveAt = now + quiet,
                Quiet = quiet,
                Restored = true,
            });
            ConditionLog.Restored(_context.Logger, Type, problem.Display, dedupKey);
        }
    }

    // The problem its trigger's labels name, made as the catalog makes it; null for labels no condition wrote.
    private static ConditionProblem? ProblemOf(IReadOnlyDictionary<string, string> labels)
    {
        var key = AlertLabels.Get(labels, AlertLabels.Scope);
        string? Label(string name) => AlertLabels.Get(labels, name) is { Length: > 0 } value ? value : null;
        var (group, deployment, provider, region) = (Label(AlertLabels.ModelGroup), Label(AlertLabels.Deployment), Label(AlertLabels.Provider), Label(AlertLabels.Region));
        return key.Length == 0 ? null
            : deployment is not null && deployment != ConditionCatalog.Other ? ConditionProblem.OfDeployment(deployment, group, provider, apiHost: null)
            : region is not null && provider is not null ? ConditionProblem.OfRegion(provider, region)
            : group is not null && group != ConditionCatalog.Other ? ConditionProblem.OfModelGroup(group)
            : new ConditionProblem(key, key) { ModelGroup = group, Deployment = deployment };
    }

    /// <summary>
    /// What <paramref name="problem"/> saw this tick (<paramref name="delta"/>, null for nothing new) and the level it is
    /// at (0 = below every threshold). Below threshold with nothing open, nothing happens; otherwise the occurrences are
    /// folded in and the resolve put off to <paramref name="resolveAt"/> when that is later.
    /// </summary>
    public void Record(ConditionProblem problem, ActivityDelta? delta, int level, DateTimeOffset resolveAt)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (_digest is not null)
        {
            if (level > 0 && delta is not null)
            {
                if (!_digest.TryGetValue(problem.Key, out var entry))
                {
                    entry = new DigestEntry(problem, delta.First);
                    _digest.Add(problem.Key, entry);
                }

                entry.Count += delta.Count;
                entry.Last = delta.Last > entry.Last ? delta.Last : entry.Last;
            }

            return;
        }

        if (!_open.TryGetValue(problem.Key, out var state))
        {
            if (level <= 0)
            {
                return;
            }

            state = new ConditionState(problem, DedupKeyFor(Type, problem));
            _open.Add(problem.Key, state);
        }

        if (delta is not null)
        {
            state.Add(delta, delta.Recent.Select(Scrubbed));
            state.Quiet = resolveAt - delta.Last;

            // Occurrences continue here: claim the open, or keep another replica's claim alive.
            if (_context.Claims is { } claims)
            {
                state.Owner = claims.Claim(state.DedupKey, state.Quiet) ?? true;
            }
        }

        state.WantedLevel = Math.Max(state.WantedLevel, level);
        if (resolveAt > state.ResolveAt)
        {
            state.ResolveAt = resolveAt;
        }
    }

    /// <summary>Sends what is due: triggers and escalations, resolves of conditions quiet long enough, the digest.</summary>
    public void Tick(DateTimeOffset now)
    {
        if (_digest is not null)
        {
            TickDigest(now);
            return;
        }

        List<string>? over = null;
        foreach (var (key, state) in _open)
        {
            // A level reached is always told, even when the quiet period (as short as llm_too_slow's threshold) ran
            // out before this tick; the resolve then follows on the next one, never in the same breath.
            if (state.WantedLevel > state.SentLevel)
            {
                TryTrigger(state, now);
            }
            else if (now >= state.ResolveAt && ReadyToResolve(state) && (!state.Owner || TryResolve(state, now)))
            {
                (over ??= []).Add(key); // a replica that does not own the condition just forgets it: the owner resolves
            }
        }

        foreach (var key in over ?? [])
        {
            _open.Remove(key);
        }
    }

    private void TryTrigger(ConditionState state, DateTimeOffset now)
    {
        var level = state.WantedLevel;
        if (!ToldHere(state, level))
        {
            state.SentLevel = level; // another replica tells this level
            return;
        }

        var message = _describer.Describe(state, level, now);
        var problem = state.Problem;
        var notification = AlertNotification.Noticed(
            state.DedupKey, Type, ClassName, message.Title, message.Notice, now, Labels(problem, message.Notice.Severity));
        if (!_context.Notifier.TryEnqueue(notification))
        {
            return;
        }

        state.SentLevel = level;
        state.CountAtLastMessage = state.Count;
        state.OpenedAt ??= now;
        ConditionLog.Triggered(_context.Logger, Type, problem.Display, level, state.DedupKey);
    }

    // Level 1 is told by the replica that claimed the open; each higher level by the first to claim that level.
    private bool ToldHere(ConditionState state, int level)
    {
        if (_context.Claims is not { } claims || level <= 1)
        {
            return state.Owner;
        }

        return claims.Claim($"{state.DedupKey}:{level}", state.Quiet) ?? true;
    }

    // The owner resolves only once its claim has lapsed (another replica that still sees the condition keeps it
    // alive); asked again each tick until then, one PTTL per such condition.
    private bool ReadyToResolve(ConditionState state) =>
        !state.Owner || _context.Claims?.Remaining(state.DedupKey) is not { } left || left <= TimeSpan.Zero;

    private bool TryResolve(ConditionState state, DateTimeOffset now)
    {
        // What happened since the last message goes with the resolve, so repeats are told once, here.
        var notice = state.Restored && state.Count == 0
            ? new AlertNotice($"{state.Problem.Display}: not seen since the gateway restarted.", AlertSeverity.Info)
            : new AlertNotice($"{state.Problem.Display}: quiet since {ConditionText.Time(state.LastSeen)}.", AlertSeverity.Info)
        {
            Facts =
            [
                new(FactName(_describer.Occurrences, "in all"), ConditionText.Number(state.Count)),
                new(FactName(_describer.Occurrences, "since the last message"), ConditionText.Number(state.Folded)),
                new("Last seen", ConditionText.Time(state.LastSeen)),
            ],
        };
        var resolve = AlertNotification.Resolved(state.DedupKey, ClassName, now) with { Type = Type, Notice = notice };
        if (!_context.Notifier.TryEnqueue(resolve))
        {
            return false;
        }

        ConditionLog.Resolved(_context.Logger, Type, state.Problem.Display, state.Count, state.DedupKey);
        return true;
    }

    private void TickDigest(DateTimeOffset now)
    {
        if (now < _digestDue)
        {
            return;
        }

        var periodStart = _digestDue - _digestInterval;
        if (_digest!.Count > 0)
        {
            var entries = _digest.Values.OrderByDescending(e => e.Count).ThenBy(e => e.Problem.Key, StringComparer.Ordinal).ToList();
            var total = entries.Sum(e => e.Count);
            List<AlertFact> facts =
            [
                .. entries.Take(MaxDigestFacts).Select(e => new AlertFact(
                    e.Problem.Display + (e.Problem.ApiHost is { } host ? $" at {host}" : ""),
                    $"{ConditionText.Number(e.Count)} {_describer.Occurrences}, first {ConditionText.Time(e.First)}, last {ConditionText.Time(e.Last)}")),
            ];
            if (entries.Count > MaxDigestFacts)
            {
                facts.Add(new AlertFact("And", $"{entries.Count - MaxDigestFacts} more"));
            }

            var notice = new AlertNotice(
                $"{Type} digest: {ConditionText.Number(total)} {_describer.Occurrences} on {entries.Count} of them since {ConditionText.Time(periodStart)}.",
                AlertSeverity.Info) { Facts = facts };
            var dedupKey = DedupKeys.ForReport(Type, periodStart);
            var notification = AlertNotification.Noticed(
                dedupKey, Type, ClassName, $"{Type} digest", notice, now, AlertLabels.Of(Type, ClassName, AlertScopes.Gateway, severity: AlertSeverity.Info))
                with { Resolvable = false };
            if (!_context.Notifier.TryEnqueue(notification))
            {
                return; // the same digest next tick
            }

            ConditionLog.ReportQueued(_context.Logger, Type, entries.Count, dedupKey);
            _digest.Clear();
        }

        // Periods are counted from start-up; after a long stall the next one starts now rather than catching up.
        _digestDue = now - _digestDue >= _digestInterval ? now + _digestInterval : _digestDue + _digestInterval;
    }

    private IReadOnlyDictionary<string, string> Labels(ConditionProblem problem, AlertSeverity severity) =>
        AlertLabels.Of(Type, ClassName, problem.Key, problem.ModelGroup, problem.Deployment, problem.Provider, problem.Region, severity);

    private AlertObservation Scrubbed(RecentFailure failure) => new(
        failure.At,
        failure.ModelGroup,
        failure.Deployment,
        failure.Provider,
        failure.Status,
        _context.Scrubber.Scrub(failure.ErrorType, 100),
        _context.Scrubber.Scrub(failure.Message));

    private static string FactName(string occurrences, string suffix) =>
        string.Concat(char.ToUpperInvariant(occurrences[0]).ToString(), occurrences.AsSpan(1), " ", suffix);
}
