/**
 * The model as Graphviz DOT: one cluster per layer, shapes and colours by what a node is, line styles
 * by how a flow happens, and a legend. Everything is emitted in a fixed order so that the same plan
 * gives the same DOT, and Graphviz (deterministic for the same input) the same SVG.
 */
import { DiagramModel, FlowKind, NodeKind } from "./model";

/** Layer cluster colours (fill, border). */
const LAYER_STYLE: Record<string, [string, string]> = {
    platform: ["#eef3fb", "#7d97c4"],
    app: ["#eef8ee", "#6aa86a"],
    data: ["#fdf5e6", "#c9a25a"],
    operations: ["#f6eef8", "#a47ab5"],
    other: ["#fbeaea", "#c26b6b"],
};

const NODE_STYLE: Record<NodeKind, string> = {
    external: 'shape=oval, style="filled", fillcolor="#ffffff", color="#555555"',
    service: 'shape=box, style="rounded,filled", fillcolor="#d7f0d7", color="#3f7f3f"',
    task: 'shape=box, style="rounded,filled,dashed", fillcolor="#ffffff", color="#3f7f3f"',
    edge: 'shape=box, style="filled", fillcolor="#d6e2f5", color="#4a6fa5"',
    platform: 'shape=box, style="filled", fillcolor="#ffffff", color="#7d97c4"',
    store: 'shape=cylinder, style="filled", fillcolor="#f7e3bf", color="#a57c2e"',
    bucket: 'shape=folder, style="filled", fillcolor="#f7e3bf", color="#a57c2e"',
    queue: 'shape=box3d, style="filled", fillcolor="#f7e3bf", color="#a57c2e"',
    function: 'shape=component, style="filled", fillcolor="#d7f0d7", color="#3f7f3f"',
    ops: 'shape=note, style="filled", fillcolor="#eadcf0", color="#7a4d8c"',
};

const EDGE_STYLE: Record<FlowKind, string> = {
    network: 'color="#333333", fontcolor="#333333"',
    api: 'color="#2f6db5", fontcolor="#2f6db5"',
    managed: 'color="#8a5a9e", fontcolor="#8a5a9e", style=dashed',
};

function quote(s: string): string {
    return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** The DOT text of a model. Node ids are replaced by short stable names (n1, n2, … in model order). */
export function toDot(model: DiagramModel): string {
    const ids = new Map(model.nodes.map((n, i) => [n.id, `n${i + 1}`]));
    const lines = [
        "digraph architecture {",
        `  graph [rankdir=TB, fontname="Helvetica", fontsize=20, labelloc=t, label=${quote(model.title)}, nodesep=0.45, ranksep=0.9, newrank=true, compound=true, splines=true, pad=0.3];`,
        '  node [fontname="Helvetica", fontsize=11, margin="0.15,0.06"];',
        '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
    ];
    for (const n of model.nodes.filter((x) => !x.layer)) lines.push(`  ${ids.get(n.id)} [label=${quote(n.label)}, ${NODE_STYLE[n.kind]}];`);
    const linked = new Set(model.edges.flatMap((e) => [e.from, e.to]));
    for (const layer of model.layers) {
        const [fill, border] = LAYER_STYLE[layer.id] ?? LAYER_STYLE.other;
        lines.push(
            `  subgraph cluster_${layer.id} {`,
            `    label=${quote(layer.label)}; labeljust=l; fontsize=13; style="filled,rounded"; fillcolor="${fill}"; color="${border}";`,
        );
        const members = model.nodes.filter((x) => x.layer === layer.id);
        for (const n of members.filter((x) => linked.has(x.id)))
            lines.push(`    ${ids.get(n.id)} [label=${quote(n.label)}, ${NODE_STYLE[n.kind]}];`);
        // Parts that no flow touches share one box, so the picture stays narrow.
        const quiet = members.filter((x) => !linked.has(x.id));
        if (quiet.length)
            lines.push(
                `    quiet_${layer.id} [label=${quote(quiet.map((n) => n.label.replace(/\n/g, ": ")).join("\n"))}, ${NODE_STYLE[quiet[0].kind]}, style="filled", fillcolor="#ffffff"];`,
            );
        lines.push("  }");
    }
    for (const e of model.edges) lines.push(`  ${ids.get(e.from)} -> ${ids.get(e.to)} [label=${quote(e.label)}, ${EDGE_STYLE[e.kind]}];`);
    lines.push(...orderingEdges(model, ids));
    // The legend goes last, below the operations layer.
    const last = model.nodes.filter((n) => n.layer === model.layers[model.layers.length - 1]?.id && linked.has(n.id)).pop();
    if (last) lines.push(`  ${ids.get(last.id)} -> legend [style=invis];`);
    lines.push(...legend(), "}");
    return `${lines.join("\n")}\n`;
}

/**
 * Invisible edges that keep the layers in reading order, left to right: a node that no flow reaches
 * from an earlier layer (the dashboard, the alarms) would otherwise sit in the first column.
 */
function orderingEdges(model: DiagramModel, ids: Map<string, string>): string[] {
    const order = model.layers.map((l) => l.id);
    const layerOf = new Map(model.nodes.map((n) => [n.id, n.layer]));
    const out: string[] = [];
    const linked = new Set(model.edges.flatMap((e) => [e.from, e.to]));
    for (let i = 1; i < order.length; i++) {
        const anchor = model.nodes.find((n) => n.layer === order[i - 1] && linked.has(n.id));
        if (!anchor) continue;
        for (const n of model.nodes.filter((x) => x.layer === order[i] && linked.has(x.id))) {
            const reached = model.edges.some(
                (e) => e.to === n.id && order.indexOf(layerOf.get(e.from) ?? "") >= 0 && order.indexOf(layerOf.get(e.from) ?? "") < i,
            );
            if (!reached) out.push(`  ${ids.get(anchor.id)} -> ${ids.get(n.id)} [style=invis];`);
        }
        if (model.nodes.some((x) => x.layer === order[i] && !linked.has(x.id)))
            out.push(`  ${ids.get(anchor.id)} -> quiet_${order[i]} [style=invis];`);
    }
    return out;
}

/** The legend: one line per kind of flow, in its colour and line style. */
function legend(): string[] {
    const rows: [string, string, string][] = [
        ["#333333", "───", "network connection a security group allows (port)"],
        ["#2f6db5", "───", "AWS API call the task role allows"],
        ["#8a5a9e", "- - -", "flow AWS runs (replication, backup, alarm, event)"],
    ];
    const cells = rows
        .map(([colour, line, text]) => `<tr><td align="left"><font color="${colour}">${line}  ${text}</font></td></tr>`)
        .join("");
    return [
        `  legend [shape=plaintext, fontsize=10, label=<<table border="1" color="#999999" cellborder="0" cellspacing="2" cellpadding="3"><tr><td align="left"><b>Legend</b></td></tr>${cells}</table>>];`,
    ];
}
