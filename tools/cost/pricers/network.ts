/**
 * The network: NAT gateways, public IPv4 addresses, the load balancer, VPC endpoints, flow logs.
 */
import { plural, Pricer, rate } from "./kit";

export const natGateway: Pricer = (_r, ctx) => {
    const h = ctx.a.hoursPerMonth;
    const p = ctx.prices.natGateway;
    const gb = ctx.usage.natGbPerGatewayPerMonth;
    return {
        monthly: h * p.hour + gb * p.gbProcessed,
        basis: `${h} h × ${rate(p.hour)} + natGbPerGatewayPerMonth ${gb} GB processed × ${rate(p.gbProcessed)}`,
    };
};

export const eip: Pricer = (_r, ctx) => ({
    monthly: ctx.a.hoursPerMonth * ctx.prices.publicIpv4Hour,
    basis: `public IPv4 address ${ctx.a.hoursPerMonth} h × ${rate(ctx.prices.publicIpv4Hour)}`,
});

export const loadBalancer: Pricer = (r, ctx) => {
    const kind = r.inputs.loadBalancerType ?? "application";
    if (kind !== "application") return { unpriced: `${String(kind)} load balancers are not in the price table (ALBs are)` };
    const h = ctx.a.hoursPerMonth;
    const p = ctx.prices.alb;
    const lcus = ctx.usage.albLcus;
    let monthly = h * (p.hour + lcus * p.lcuHour);
    const parts = [`${h} h × (${rate(p.hour)} + albLcus ${lcus} LCU × ${rate(p.lcuHour)})`];
    if (r.inputs.internal !== true) {
        const subnets = Array.isArray(r.inputs.subnets)
            ? r.inputs.subnets.length
            : Array.isArray(r.inputs.subnetMappings)
              ? r.inputs.subnetMappings.length
              : 0;
        if (!subnets) return { unpriced: "internet-facing with no subnets in the plan: its public IPv4 addresses cannot be counted" };
        monthly += subnets * h * ctx.prices.publicIpv4Hour;
        parts.push(
            `${plural(subnets, "public IPv4 address", "public IPv4 addresses")} (one per subnet) × ${h} h × ${rate(ctx.prices.publicIpv4Hour)}`,
        );
    }
    return { monthly, basis: parts.join("; ") };
};

export const vpcEndpoint: Pricer = (r) =>
    r.inputs.vpcEndpointType === "Gateway"
        ? { monthly: 0, basis: "no charge: gateway endpoint" }
        : { unpriced: `${String(r.inputs.vpcEndpointType ?? "Interface")} endpoints are not in the price table` };

export const flowLog: Pricer = (r, ctx) => {
    const destination = r.inputs.logDestinationType ?? "cloud-watch-logs";
    if (destination !== "cloud-watch-logs") return { unpriced: `flow logs to ${String(destination)} are not in the price table` };
    const gb = ctx.usage.flowLogGbPerMonth;
    const p = ctx.prices.cloudwatch.vendedLogIngestGb;
    return {
        monthly: gb * p,
        basis: `flowLogGbPerMonth ${gb} GB × ${rate(p)} vended-log ingestion (storage on its log group's line)`,
    };
};
