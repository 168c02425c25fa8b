/**
 * gearmand: the job queue between the MCP server and the clients. A singleton: its queue is in memory
 * unless `queueBackend` is `redis`, so a second task would split the jobs.
 */
import * as pulumi from "@pulumi/pulumi";
import { imageOf } from "./shared";
import type { CatalogueContext, CatalogueEntry, ComponentService } from "./types";
import { SIZES } from "./versions";

/** Gearman's port. */
export const PORT = 4730;

function resolve(ctx: CatalogueContext): ComponentService {
    return {
        container: {
            image: imageOf("gearmand", ctx),
            // The image's own unprivileged user (alpine system account), as the compose runs it.
            user: "gearman",
            command: ctx.queue
                ? ["--queue-type=redis", pulumi.interpolate`--redis-server=${ctx.queue.endpoint}`, `--redis-port=${ctx.queue.port}`]
                : ["--queue-type=builtin"],
            port: PORT,
            environment: {},
            secrets: {},
            mounts: [],
            // No health check: the alpine image ships no probe we can rely on; gearmand exiting is
            // the failure signal, and a wrong probe would kill the one queue holder.
            healthCheck: undefined,
            stopTimeout: 30,
        },
        initContainers: [],
        ...SIZES.gearmand[ctx.sizeProfile],
        deployment: "singleton",
        // Always on-demand: a Spot interruption would stop the one queue holder, with nothing to take over.
        capacityProvider: "FARGATE",
        calls: ctx.queue ? ["queue"] : [],
        shell: "/bin/sh",
    };
}

export const gearmand: CatalogueEntry = {
    name: "gearmand",
    description: "The Gearman job server between the MCP server and the clients; one task only.",
    resolve,
};
