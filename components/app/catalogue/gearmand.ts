/**
 * gearmand: the job queue between the MCP server and the clients. A singleton: its queue is in memory
 * unless `queueBackend` is `redis`, so a second task would split the jobs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CatalogueEntry, ComponentContext, ComponentImages, ComponentService, ComponentSizes } from "./types";

/** Gearman's port. */
export const PORT = 4730;

/** The image per Archivematica release (upstream's compose file for the release). */
const IMAGES: ComponentImages = { "1.18": "artefactual/gearmand:1.1.22-alpine", "1.17": "artefactual/gearmand:1.1.22-alpine" };

/** Default task size per size profile (a valid Fargate pair). */
const SIZES: ComponentSizes = { small: { cpu: 256, memory: 512 }, large: { cpu: 512, memory: 1024 } };

function resolve(ctx: ComponentContext): ComponentService {
    return {
        container: {
            image: ctx.image,
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
        ...SIZES[ctx.sizeProfile],
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
    images: IMAGES,
    sizes: SIZES,
    resolve,
};
