/**
 * What the ADOT collector does with a Prometheus `/metrics` text under a generated configuration,
 * step by step as its components document and implement it (aws-otel-collector v0.49.0, vendored
 * opentelemetry-collector-contrib v0.156.0), so that a test can run our configuration's selectors,
 * regexes and declarations against a sample and see the exact CloudWatch metrics it yields:
 *
 * 1. prometheus receiver: parse the text format (0.0.4), apply `metric_relabel_configs` (`keep`: the
 *    joined source label values must match the regex, anchored as Prometheus anchors it), add the
 *    target's labels, fold `<name>_bucket/_sum/_count` into one histogram, add the scraper's own `up`.
 *    Counters become cumulative sums, gauges stay gauges (names unchanged: `trim_metric_suffixes` off).
 * 2. metricstransform `aggregate_labels` (`sum`) on the metrics the `include` regexp matches.
 * 3. cumulativetodelta over sums and histograms (`initial_value: keep`: the first value passes).
 * 4. awsemf: one group per label set (plus `OTelLib`, the scope name); each metric name is tested
 *    against every declaration's `metric_name_selectors` (unanchored regex search); a matched group gets
 *    the declaration's dimension sets whose labels are all present; with `NoDimensionRollup` nothing is
 *    added; the event carries every label and value as fields, with `_aws.CloudWatchMetrics` only when
 *    a metric matched. Histograms are sent as `{Count, Sum, Max, Min}` (a Prometheus histogram has no
 *    min or max: 0).
 *
 * The regexes of our configuration use only syntax that RE2 (Go) and JavaScript read alike: `^`, `|`,
 * `(?:…)` and `\b` over ASCII.
 */

/** Scope name the prometheus receiver sets; awsemf adds it as the `OTelLib` label. */
export const PROMETHEUS_RECEIVER_SCOPE = "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver";

type Labels = Record<string, string>;

interface Sample {
    name: string;
    labels: Labels;
    value: number;
}

export interface HistogramValue {
    count: number;
    sum: number;
}

interface Point {
    labels: Labels;
    value: number | HistogramValue;
}

export interface OtelMetric {
    name: string;
    type: "gauge" | "sum" | "histogram";
    points: Point[];
}

/** The text format: `# TYPE` lines and samples `name{a="b",…} value` (label values may hold escapes). */
export function parsePrometheusText(text: string): { types: Map<string, string>; samples: Sample[] } {
    const types = new Map<string, string>();
    const samples: Sample[] = [];
    for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        const type = /^# TYPE (\S+) (\S+)$/.exec(line);
        if (type) {
            types.set(type[1], type[2]);
            continue;
        }
        if (line.startsWith("#")) continue;
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
        if (!m) throw new Error(`not a sample line: ${line}`);
        const labels: Labels = {};
        for (const l of (m[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
            labels[l[1]] = l[2].replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
        }
        samples.push({ name: m[1], labels, value: m[4] === "+Inf" ? Infinity : Number(m[4]) });
    }
    return { types, samples };
}

interface ScrapeConfig {
    static_configs: { targets: string[]; labels: Labels }[];
    metric_relabel_configs: { source_labels: string[]; regex: string; action: string }[];
}

/** Step 1: what the prometheus receiver emits for one scrape of `text`. */
export function scrape(config: ScrapeConfig, text: string): OtelMetric[] {
    const { types, samples } = parsePrometheusText(text);
    const targetLabels = config.static_configs[0].labels;
    const kept = samples.filter((s) =>
        config.metric_relabel_configs.every((r) => {
            if (r.action !== "keep") throw new Error(`relabel action ${r.action} is not simulated`);
            const joined = r.source_labels.map((l) => (l === "__name__" ? s.name : (s.labels[l] ?? ""))).join(";");
            return new RegExp(`^(?:${r.regex})$`).test(joined);
        }),
    );
    const families = new Map<string, OtelMetric>();
    const histograms = new Map<string, Map<string, { labels: Labels; count: number; sum: number }>>();
    for (const s of kept) {
        const labels = { ...s.labels, ...targetLabels };
        const histogram = /^(.*)_(bucket|sum|count)$/.exec(s.name);
        if (histogram && types.get(histogram[1]) === "histogram") {
            const family = histogram[1];
            const { le: _le, ...seriesLabels } = labels;
            const key = JSON.stringify(Object.entries(seriesLabels).sort());
            const series = histograms.get(family) ?? new Map();
            histograms.set(family, series);
            const point = series.get(key) ?? { labels: seriesLabels, count: 0, sum: 0 };
            series.set(key, point);
            if (histogram[2] === "count") point.count = s.value;
            if (histogram[2] === "sum") point.sum = s.value;
            continue;
        }
        const type = types.get(s.name);
        if (type !== "counter" && type !== "gauge") throw new Error(`sample ${s.name} has no counter or gauge TYPE line`);
        const family = families.get(s.name) ?? { name: s.name, type: type === "counter" ? "sum" : "gauge", points: [] };
        families.set(s.name, family);
        family.points.push({ labels, value: s.value });
    }
    for (const [name, series] of histograms) {
        families.set(name, {
            name,
            type: "histogram",
            points: [...series.values()].map((p) => ({ labels: p.labels, value: { count: p.count, sum: p.sum } })),
        });
    }
    families.set("up", { name: "up", type: "gauge", points: [{ labels: { ...targetLabels }, value: 1 }] });
    return [...families.values()];
}

interface Transform {
    include: string;
    match_type: string;
    action: string;
    operations: { action: string; label_set: string[]; aggregation_type: string }[];
}

/** Step 2: `aggregate_labels` with `sum`: points with the same values of `label_set` are added up. */
export function aggregateLabels(transforms: Transform[], metrics: OtelMetric[]): OtelMetric[] {
    return metrics.map((metric) => {
        let out = metric;
        for (const t of transforms) {
            if (t.match_type !== "regexp" || t.action !== "update") throw new Error("only regexp updates are simulated");
            if (!new RegExp(t.include).test(out.name)) continue;
            for (const op of t.operations) {
                if (op.action !== "aggregate_labels" || op.aggregation_type !== "sum")
                    throw new Error("only aggregate_labels sum is simulated");
                const sums = new Map<string, Point>();
                for (const p of out.points) {
                    const labels = Object.fromEntries(op.label_set.filter((l) => l in p.labels).map((l) => [l, p.labels[l]]));
                    const key = JSON.stringify(labels);
                    const prev = sums.get(key);
                    sums.set(key, { labels, value: prev ? add(prev.value, p.value) : p.value });
                }
                out = { ...out, points: [...sums.values()] };
            }
        }
        return out;
    });
}

function add(a: Point["value"], b: Point["value"]): Point["value"] {
    if (typeof a === "number" && typeof b === "number") return a + b;
    if (typeof a === "object" && typeof b === "object") return { count: a.count + b.count, sum: a.sum + b.sum };
    throw new Error("cannot add a number to a histogram");
}

/** Step 3: cumulative sums and histograms become deltas against `state` (updated in place). */
export function cumulativeToDelta(state: Map<string, Point["value"]>, metrics: OtelMetric[]): OtelMetric[] {
    return metrics.map((metric) => {
        if (metric.type === "gauge") return metric;
        return {
            ...metric,
            points: metric.points.map((p) => {
                const key = `${metric.name} ${JSON.stringify(Object.entries(p.labels).sort())}`;
                const prev = state.get(key);
                state.set(key, p.value);
                if (prev === undefined) return p; // initial_value: keep
                if (typeof p.value === "number" && typeof prev === "number") return { ...p, value: p.value - prev };
                const [now, before] = [p.value as HistogramValue, prev as HistogramValue];
                return { ...p, value: { count: now.count - before.count, sum: now.sum - before.sum } };
            }),
        };
    });
}

interface AwsEmf {
    namespace: string;
    dimension_rollup_option: string;
    version: string;
    metric_declarations: { dimensions: string[][]; metric_name_selectors: string[] }[];
}

export interface EmfEvent {
    _aws?: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; StorageResolution: number }[] }[] };
    [field: string]: unknown;
}

/** Step 4: the EMF events awsemf writes for one export. */
export function toEmf(exporter: AwsEmf, metrics: OtelMetric[]): EmfEvent[] {
    if (exporter.dimension_rollup_option !== "NoDimensionRollup") throw new Error("only NoDimensionRollup is simulated");
    const groups = new Map<string, { labels: Labels; values: Map<string, number | HistogramValue> }>();
    for (const metric of metrics) {
        for (const p of metric.points) {
            const labels = { ...p.labels, OTelLib: PROMETHEUS_RECEIVER_SCOPE };
            const key = JSON.stringify(Object.entries(labels).sort());
            const group = groups.get(key) ?? { labels, values: new Map() };
            groups.set(key, group);
            group.values.set(metric.name, p.value);
        }
    }
    return [...groups.values()].map((group) => {
        const event: EmfEvent = { ...group.labels };
        for (const [name, value] of group.values) {
            event[name] = typeof value === "number" ? value : { Max: 0, Min: 0, Count: value.count, Sum: value.sum };
        }
        const measurements = new Map<string, { dims: string[][]; names: string[] }>();
        for (const name of [...group.values.keys()].sort()) {
            const matched = exporter.metric_declarations.filter((d) => d.metric_name_selectors.some((s) => new RegExp(s).test(name)));
            if (matched.length === 0) continue;
            const dims = dedup(matched.flatMap((d) => d.dimensions.filter((set) => set.every((l) => l in group.labels))));
            if (dims.length === 0) continue;
            const key = JSON.stringify(dims);
            const m = measurements.get(key) ?? { dims, names: [] };
            measurements.set(key, m);
            m.names.push(name);
        }
        if (measurements.size > 0) {
            event._aws = {
                CloudWatchMetrics: [...measurements.values()].map((m) => ({
                    Namespace: exporter.namespace,
                    Dimensions: m.dims,
                    Metrics: m.names.map((Name) => ({ Name, StorageResolution: 60 })),
                })),
            };
            event.Version = exporter.version;
        }
        return event;
    });
}

function dedup(sets: string[][]): string[][] {
    const seen = new Set<string>();
    return sets
        .map((s) => [...new Set(s)].sort())
        .filter((s) => {
            const key = s.join(",");
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
        });
}

/** The whole pipeline of a generated configuration over consecutive scrapes. */
export function runCollector(config: Record<string, unknown>, scrapes: string[]): EmfEvent[][] {
    const c = config as {
        receivers: { prometheus: { config: { scrape_configs: ScrapeConfig[] } } };
        processors: { metricstransform: { transforms: Transform[] } };
        exporters: { awsemf: AwsEmf };
        service: { pipelines: { metrics: { processors: string[] } } };
    };
    const order = c.service.pipelines.metrics.processors;
    if (order.join(",") !== "metricstransform,cumulativetodelta,batch")
        throw new Error(`processor order ${order.join(",")} is not simulated`);
    const state = new Map<string, Point["value"]>();
    return scrapes.map((text) => {
        const scraped = scrape(c.receivers.prometheus.config.scrape_configs[0], text);
        const aggregated = aggregateLabels(c.processors.metricstransform.transforms, scraped);
        return toEmf(c.exporters.awsemf, cumulativeToDelta(state, aggregated));
    });
}
