/**
 * Fargate: the ECS services (on demand and Spot, scaled or fixed), and the task-hour a scheduled task
 * reuses (operations.ts).
 */
import { Context, CostResource, num, obj, Part, plural, Pricer, q, rate, refs, usd } from "./kit";

export function taskDefinitionOf(service: CostResource, ctx: Context): CostResource | undefined {
    const dep = refs(service, "taskDefinition", ctx).find((t) => t.type === "aws:ecs/taskDefinition:TaskDefinition");
    if (dep) return dep;
    const arn = service.inputs.taskDefinition;
    if (typeof arn !== "string") return undefined;
    const family = /task-definition\/([^:]+)/.exec(arn)?.[1] ?? arn;
    return ctx.resources.find(
        (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && (r.inputs.family === family || r.name === family),
    );
}

/** Share of the service's tasks on FARGATE_SPOT (by strategy weight), or a reason it is not Fargate. */
function spotShare(service: CostResource): number | string {
    const strategies = service.inputs.capacityProviderStrategies;
    if (Array.isArray(strategies) && strategies.length) {
        let total = 0;
        let spot = 0;
        for (const s of strategies.map(obj)) {
            const provider = s?.capacityProvider;
            if (provider !== "FARGATE" && provider !== "FARGATE_SPOT") return `capacity provider ${String(provider)} is not Fargate`;
            const weight = num(s?.weight) ?? 0;
            total += weight;
            if (provider === "FARGATE_SPOT") spot += weight;
        }
        return total > 0 ? spot / total : 0;
    }
    if (service.inputs.launchType === "FARGATE") return 0;
    return `launch type ${String(service.inputs.launchType ?? "(cluster default)")} is not Fargate`;
}

/** The autoscaling target of an ECS service, if one scales it. */
function scalingOf(service: CostResource, ctx: Context): { min: number; max: number } | undefined {
    const name = String(service.inputs.name ?? service.name);
    const target = ctx.resources.find(
        (r) =>
            r.type === "aws:appautoscaling/target:Target" &&
            r.inputs.scalableDimension === "ecs:service:DesiredCount" &&
            String(r.inputs.resourceId ?? "").endsWith(`/${name}`),
    );
    const min = num(target?.inputs.minCapacity);
    const max = num(target?.inputs.maxCapacity);
    return min !== undefined && max !== undefined ? { min, max } : undefined;
}

/** One Fargate task's hourly price and how it was reached, or why it cannot be priced. */
export function taskHour(td: CostResource, ctx: Context, spot: number): { hourly: number; formula: string } | string {
    const cpu = num(td.inputs.cpu);
    const memory = num(td.inputs.memory);
    if (cpu === undefined || memory === undefined) return `task definition ${td.name} has no task-level cpu and memory`;
    const platform = obj(td.inputs.runtimePlatform);
    const os = platform?.operatingSystemFamily ?? "LINUX";
    if (os !== "LINUX") return `operating system ${String(os)} is not in the price table`;
    const arch = platform?.cpuArchitecture === "ARM64" ? "arm" : "x86";
    const p = ctx.prices.fargate[arch];
    const vcpu = cpu / 1024;
    const gb = memory / 1024;
    const extra = Math.max(0, (num(obj(td.inputs.ephemeralStorage)?.sizeInGib) ?? 20) - 20);
    const factor = 1 - spot * ctx.a.fargateSpotDiscount;
    return {
        hourly: (vcpu * p.vcpuHour + gb * p.gbHour + extra * ctx.prices.fargate.ephemeralGbHour) * factor,
        formula:
            `(${vcpu} vCPU × ${rate(p.vcpuHour)} + ${gb} GB × ${rate(p.gbHour)}` +
            (extra ? ` + ${extra} GB ephemeral above 20 × ${rate(ctx.prices.fargate.ephemeralGbHour)}` : "") +
            `) per hour, Linux/${arch === "arm" ? "ARM" : "x86"}`,
    };
}

function spotNote(share: number, ctx: Context): string | undefined {
    if (share <= 0) return undefined;
    const pct = Math.round(ctx.a.fargateSpotDiscount * 100);
    return share === 1 ? `FARGATE_SPOT: − ${pct} % (assumed)` : `${Math.round(share * 100)} % on FARGATE_SPOT at − ${pct} % (assumed)`;
}

/** Average tasks of an autoscaled service: the usage file's figure, else from processing hours, else the desired count. */
function averageTasks(scaling: { min: number; max: number }, desired: number, ctx: Context): { tasks: number; how: string } {
    const u = ctx.usage;
    let tasks: number;
    let how: string;
    if (u.mcpClientsAverage !== undefined) {
        tasks = u.mcpClientsAverage;
        how = `mcpClientsAverage ${u.mcpClientsAverage}`;
    } else if (u.processingHoursPerDay !== undefined) {
        tasks = scaling.min + ((scaling.max - scaling.min) * u.processingHoursPerDay) / 24;
        how = `${scaling.min} + (${scaling.max} − ${scaling.min}) × processingHoursPerDay ${u.processingHoursPerDay} / 24`;
    } else {
        tasks = desired;
        how = "its desired count (no mcpClientsAverage or processingHoursPerDay)";
    }
    const clamped = Math.min(scaling.max, Math.max(scaling.min, tasks));
    if (clamped !== tasks) how += `, held to the scaling range ${scaling.min}–${scaling.max}`;
    return { tasks: clamped, how };
}

export const fargateService: Pricer = (r, ctx) => {
    const share = spotShare(r);
    if (typeof share === "string") return { unpriced: share };
    const td = taskDefinitionOf(r, ctx);
    if (!td) return { unpriced: "its task definition is not in the plan" };
    const task = taskHour(td, ctx, share);
    if (typeof task === "string") return { unpriced: task };
    const h = ctx.a.hoursPerMonth;
    const desired = num(r.inputs.desiredCount) ?? 1;
    const spot = spotNote(share, ctx);
    const basis = (count: number, extra?: string) =>
        [`${plural(count, "task")} × ${h} h × ${task.formula}`, spot, extra].filter(Boolean).join("; ");
    const scaling = scalingOf(r, ctx);
    if (!scaling) return { monthly: desired * h * task.hourly, basis: basis(desired) };
    const avg = averageTasks(scaling, desired, ctx);
    const parts: Part[] = [
        {
            item: "minimum tasks",
            kind: "fixed",
            monthly: scaling.min * h * task.hourly,
            // A service queue scaling may leave at zero (npm run bench: the queue model) costs nothing idle.
            basis: `${scaling.min === 0 ? "no charge while idle: " : ""}${basis(
                scaling.min,
                `autoscales ${scaling.min}–${scaling.max} tasks: ${usd(scaling.max * h * task.hourly)} at ${scaling.max}`,
            )}`,
        },
    ];
    const above = avg.tasks - scaling.min;
    if (above > 0)
        parts.push({
            item: "tasks above the minimum",
            kind: "per-tb-ingested",
            monthly: above * h * task.hourly,
            basis: basis(above, `average ${q(avg.tasks)} tasks from ${avg.how}`),
        });
    return parts;
};
