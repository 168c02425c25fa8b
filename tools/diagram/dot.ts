/**
 * The model as Graphviz DOT: one cluster per layer (and one per group inside it), shapes and colours by
 * what a node is, line styles by how a flow happens, and a legend. Everything is emitted in a fixed
 * order so that the same plan gives the same DOT, and Graphviz (deterministic for the same input) the
 * same SVG.
 *
 * Routing, so that the picture stays legible: Graphviz draws a line from a box to outside it round the
 * box's lower part, so a flow into a later layer leaves each box it is in (its group's, then its
 * layer's) through a point at the box's foot, and enters its target's layer through a point at the top
 * when the target sits low in its box. Flows of one kind and label to one node share those points: the
 * lines join there (a dot) and go on as one arrow, labelled once (four services' NFS mounts). Three or
 * more such flows within a layer join at a point too.
 */
import { DiagramModel, DiagramEdge, DiagramNode, FlowKind, NodeKind } from "./model";

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
    event: 'shape=cds, style="filled", fillcolor="#f3e6c9", color="#a57c2e", margin="0.3,0.06"',
    function: 'shape=component, style="filled", fillcolor="#d7f0d7", color="#3f7f3f"',
    ops: 'shape=note, style="filled", fillcolor="#eadcf0", color="#7a4d8c"',
};

const EDGE_COLOUR: Record<FlowKind, string> = { network: "#333333", api: "#2f6db5", managed: "#8a5a9e" };

const EDGE_STYLE: Record<FlowKind, string> = {
    network: 'color="#333333", fontcolor="#333333"',
    api: 'color="#2f6db5", fontcolor="#2f6db5"',
    managed: 'color="#8a5a9e", fontcolor="#8a5a9e", style=dashed',
};

function quote(s: string): string {
    return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** A routing point: at the foot of a box, at the top of a layer, or where flows within a layer join. */
interface Point {
    id: string;
    kind: FlowKind;
    layer: string;
    group?: string;
    role: "foot" | "entry" | "join";
}

/** How one flow is drawn: the nodes and points it passes, from the end laid out first. */
interface Route {
    edge: DiagramEdge;
    path: string[];
    /** Drawn from the far end back to the near one (an event from a bucket up to its rule). */
    back: boolean;
    /** The index in `path` of the segment that carries the label. */
    labelAt: number;
}

function routesOf(model: DiagramModel, node: Map<string, DiagramNode>, rank: (id: string) => number) {
    const points = new Map<string, Point>();
    const point = (key: string, p: Omit<Point, "id">): string => {
        if (!points.has(key)) points.set(key, { id: `p${points.size + 1}`, ...p });
        return points.get(key)!.id;
    };
    const mutual = (e: DiagramEdge) => model.edges.some((x) => x.from === e.to && x.to === e.from);
    const layerOf = (id: string) => node.get(id)!.layer;
    // A node that flows within its layer reach sits below the top of its box.
    const low = new Set(
        model.edges.filter((e) => rank(e.from) === rank(e.to) && rank(e.from) >= 0 && !node.get(e.from)?.group).map((e) => e.to),
    );
    const joinable = (e: DiagramEdge) => rank(e.from) >= 0 && rank(e.from) === rank(e.to) && !mutual(e);
    const sameInto = (e: DiagramEdge) =>
        model.edges.filter((x) => joinable(x) && x.to === e.to && x.kind === e.kind && x.label === e.label);
    const routes: Route[] = model.edges.map((edge) => {
        const { kind, label } = edge;
        const back = rank(edge.from) > rank(edge.to);
        const [near, far] = back ? [edge.to, edge.from] : [edge.from, edge.to];
        const key = `${far} ${kind} ${label} ${back}`;
        const group = node.get(near)?.group;
        // An event from a later layer up to a group (a bucket's to its rule) comes straight in.
        if (group && back) return { edge, path: [near, far], back, labelAt: 0 };
        if (rank(near) >= 0 && rank(near) < rank(far)) {
            const path = [near];
            if (group) path.push(point(`foot ${group} ${key}`, { kind, layer: layerOf(near), group, role: "foot" }));
            else path.push(point(`foot ${layerOf(near)} ${key}`, { kind, layer: layerOf(near), role: "foot" }));
            const labelAt = path.length - 1;
            if (low.has(far)) path.push(point(`entry ${key}`, { kind, layer: layerOf(far), role: "entry" }));
            return { edge, path: [...path, far], back, labelAt };
        }
        // Flows from a group to one node of the rest of its layer leave the group together.
        if (
            group &&
            !node.get(far)?.group &&
            rank(near) === rank(far) &&
            sameInto(edge).filter((x) => node.get(x.from)?.group === group).length >= 2
        )
            return {
                edge,
                path: [near, point(`side ${group} ${key}`, { kind, layer: layerOf(near), group, role: "join" }), far],
                back,
                labelAt: 1,
            };
        if (joinable(edge) && sameInto(edge).length >= 3)
            return {
                edge,
                path: [near, point(`join ${key} ${layerOf(near)}`, { kind, layer: layerOf(near), role: "join" }), far],
                back,
                labelAt: 1,
            };
        return { edge, path: [near, far], back, labelAt: 0 };
    });
    // A point is drawn (a dot) where two or more lines meet, and only at a foot or a join.
    const into = new Map<string, Set<string>>();
    for (const r of routes)
        for (let i = 1; i < r.path.length; i++) into.set(r.path[i], (into.get(r.path[i]) ?? new Set()).add(r.path[i - 1]));
    const shown = new Set([...points.values()].filter((p) => p.role !== "entry" && (into.get(p.id)?.size ?? 0) > 1).map((p) => p.id));
    return { routes, points: [...points.values()], shown };
}

/** The DOT text of a model. Node ids are replaced by short stable names (n1, n2, … in model order). */
export function toDot(model: DiagramModel): string {
    const node = new Map(model.nodes.map((n) => [n.id, n]));
    const rank = (id: string) => model.layers.findIndex((l) => l.id === node.get(id)?.layer);
    const { routes, points, shown } = routesOf(model, node, rank);
    const ids = new Map<string, string>([
        ...model.nodes.map((n, i): [string, string] => [n.id, `n${i + 1}`]),
        ...points.map((p): [string, string] => [p.id, p.id]),
    ]);
    const lines = [
        "digraph architecture {",
        `  graph [rankdir=TB, fontname="Helvetica", fontsize=20, labelloc=t, label=${quote(model.title)}, nodesep=0.45, ranksep=0.9, newrank=true, compound=true, splines=true, pad=0.3];`,
        '  node [fontname="Helvetica", fontsize=11, margin="0.15,0.06"];',
        '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
    ];
    const nodeLine = (n: DiagramNode, indent: string) => `${indent}${ids.get(n.id)} [label=${quote(n.label)}, ${NODE_STYLE[n.kind]}];`;
    const pointLine = (p: Point, indent: string) =>
        shown.has(p.id)
            ? `${indent}${p.id} [shape=point, width=0.08, height=0.08, label="", color="${EDGE_COLOUR[p.kind]}"];`
            : `${indent}${p.id} [shape=point, width=0, height=0, label="", style=invis];`;
    for (const n of model.nodes.filter((x) => !x.layer)) lines.push(nodeLine(n, "  "));
    const linked = new Set(model.edges.flatMap((e) => [e.from, e.to]));
    for (const layer of model.layers) {
        const [fill, border] = LAYER_STYLE[layer.id] ?? LAYER_STYLE.other;
        lines.push(
            `  subgraph cluster_${layer.id} {`,
            `    label=${quote(layer.label)}; labeljust=l; fontsize=13; style="filled,rounded"; fillcolor="${fill}"; color="${border}";`,
        );
        const members = model.nodes.filter((x) => x.layer === layer.id);
        for (const n of members.filter((x) => linked.has(x.id) && !x.group)) lines.push(nodeLine(n, "    "));
        for (const p of points.filter((x) => x.layer === layer.id && !x.group)) lines.push(pointLine(p, "    "));
        // Parts that no flow touches share one box, so the picture stays narrow.
        const quiet = members.filter((x) => !linked.has(x.id));
        if (quiet.length)
            lines.push(
                `    quiet_${layer.id} [label=${quote(quiet.map((n) => n.label.replace(/\n/g, ": ")).join("\n"))}, ${NODE_STYLE[quiet[0].kind]}, style="filled", fillcolor="#ffffff"];`,
            );
        lines.push("  }");
        // A group (the ingest pipeline) is a box of its own beside its layer, in the layer's colours: inside
        // the layer, its own flows (event → queue → function) would stretch the layer's box.
        model.groups.forEach((g, i) => {
            if (g.layer !== layer.id) return;
            lines.push(
                `  subgraph cluster_group${i + 1} {`,
                `    label=${quote(g.label)}; labeljust=l; fontsize=13; style="filled,rounded,dashed"; fillcolor="${fill}"; color="${border}";`,
                ...members.filter((x) => linked.has(x.id) && x.group === g.id).map((n) => nodeLine(n, "    ")),
                ...points.filter((x) => x.group === g.id).map((p) => pointLine(p, "    ")),
                "  }",
            );
        });
    }
    const groupOf = (id: string) => node.get(id)?.group ?? points.find((p) => p.id === id)?.group;
    const hidden = (id: string) => points.some((p) => p.id === id) && !shown.has(id);
    const drawn = new Set<string>();
    for (const r of routes) {
        const last = r.path.length - 2;
        for (let i = 0; i <= last; i++) {
            const [a, b] = [r.path[i], r.path[i + 1]];
            if (drawn.has(`${a} ${b}`)) continue;
            drawn.add(`${a} ${b}`);
            const attributes = [i === r.labelAt ? `label=${quote(r.edge.label)}` : "", EDGE_STYLE[r.edge.kind]];
            // Arrowheads only at the ends: at the far end, or at the near end of a flow drawn backwards.
            if (i === 0 && r.back) attributes.push("dir=back");
            else if (i < last || r.back) attributes.push("dir=none");
            // A line between a group and the rest of its layer, or on from a point of the group, does not
            // set the ranks: the group keeps its own column beside its layer.
            if (groupOf(a) !== groupOf(b) && (rank(a) === rank(b) || !node.has(a))) attributes.push("constraint=false");
            // A line through an invisible point runs on through its centre.
            if (hidden(a)) attributes.push("tailclip=false");
            if (hidden(b)) attributes.push("headclip=false");
            // The line between two boxes is kept straight, its point over its target.
            if (i === r.labelAt && i > 0) attributes.push("weight=8");
            lines.push(`  ${ids.get(a)} -> ${ids.get(b)} [${attributes.filter(Boolean).join(", ")}];`);
        }
    }
    lines.push(...orderingEdges(model, ids, points));
    // The legend goes last, below the operations layer.
    const lastNode = model.nodes.filter((n) => n.layer === model.layers[model.layers.length - 1]?.id && linked.has(n.id)).pop();
    if (lastNode) lines.push(`  ${ids.get(lastNode.id)} -> legend [style=invis];`);
    lines.push(...legend(), "}");
    return `${lines.join("\n")}\n`;
}

/**
 * Invisible edges that keep the layers in reading order, top to bottom: every drawn part of a layer
 * (and its top points) comes after a separator below the previous layer (a group beside its layer
 * starts there too, but may reach lower), and the points at a box's foot sit below the box's parts.
 */
function orderingEdges(model: DiagramModel, ids: Map<string, string>, points: Point[]): string[] {
    const linked = new Set(model.edges.flatMap((e) => [e.from, e.to]));
    const drawn = (layer: string, groups: boolean) => [
        ...model.nodes.filter((n) => n.layer === layer && linked.has(n.id) && (groups || !n.group)).map((n) => ids.get(n.id)!),
        ...(model.nodes.some((n) => n.layer === layer && !linked.has(n.id)) ? [`quiet_${layer}`] : []),
    ];
    const out: string[] = [];
    for (const p of points.filter((x) => x.role === "foot" && x.group))
        for (const n of model.nodes.filter((x) => x.group === p.group && linked.has(x.id)))
            out.push(`  ${ids.get(n.id)} -> ${p.id} [style=invis, weight=0];`);
    for (let i = 1; i < model.layers.length; i++) {
        const sep = `after_${model.layers[i - 1].id}`;
        out.push(`  ${sep} [shape=point, style=invis, width=0, height=0, label=""];`);
        for (const id of drawn(model.layers[i - 1].id, false)) out.push(`  ${id} -> ${sep} [style=invis];`);
        for (const p of points.filter((x) => x.role === "foot" && !x.group && x.layer === model.layers[i - 1].id))
            out.push(`  ${p.id} -> ${sep} [style=invis, weight=5];`);
        for (const id of drawn(model.layers[i].id, true)) out.push(`  ${sep} -> ${id} [style=invis, weight=5];`);
        for (const p of points.filter((x) => x.role === "entry" && x.layer === model.layers[i].id))
            out.push(`  ${sep} -> ${p.id} [style=invis, weight=5];`);
    }
    return out;
}

/** The legend: one line per kind of flow, in its colour and line style. */
function legend(): string[] {
    const rows: [string, string, string][] = [
        ["#333333", "───", "network connection a security group allows (port)"],
        ["#333333", "", "· Cloud Map: the caller uses the service's Cloud Map name"],
        ["#2f6db5", "───", "AWS API call the task or function role allows"],
        ["#8a5a9e", "- - -", "flow AWS runs (event, trigger, redrive, backup, alarm)"],
        ["#333333", "──•─", "flows that join: one arrow, one label for all"],
    ];
    const cells = rows
        // Trailing spaces: room for renderers whose fallback font is wider than Graphviz's Helvetica metrics.
        .map(
            ([colour, line, text]) =>
                `<tr><td align="left"><font color="${colour}">${line}  ${text}${"&#160;".repeat(12)}</font></td></tr>`,
        )
        .join("");
    return [
        `  legend [shape=plaintext, fontsize=10, label=<<table border="1" color="#999999" cellborder="0" cellspacing="2" cellpadding="3"><tr><td align="left"><b>Legend</b></td></tr>${cells}</table>>];`,
    ];
}
