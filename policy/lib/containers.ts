/**
 * ECS container definitions. In task-definition inputs `containerDefinitions` is a JSON string; once
 * parsed it is plain data (the whole string is known or the whole string is unknown, and reading an
 * unknown one throws through the props proxy before we get here).
 */
import { ContainerDecodingError, decodeContainerDefinitions, UNREADABLE_CONTAINERS } from "./container-decoding";
import { asArray, isRecord, Props } from "./values";

/** The fields of a container definition our rules read. */
export interface ContainerDefinition {
    name?: string;
    essential?: boolean;
    user?: string;
    privileged?: boolean;
    readonlyRootFilesystem?: boolean;
    dependsOn?: { containerName?: string; condition?: string }[];
    environment?: { name?: string; value?: string }[];
    secrets?: { name?: string; valueFrom?: string }[];
    logConfiguration?: { logDriver?: string; options?: Record<string, string> };
}

/** Parsed container definitions, or the reason they could not be read. */
export type ParsedContainers = { ok: true; containers: ContainerDefinition[] } | { ok: false; error: string };

export { UNREADABLE_CONTAINERS };

/**
 * Reads `containerDefinitions` (a JSON string; an already-parsed array is accepted too) as the AWS
 * provider reads it (lib/container-decoding.ts): member names matched case-insensitively, the fields'
 * own names after, and anything a person and the provider would read differently refused.
 */
export function readContainers(props: Props): ParsedContainers {
    const raw = props.containerDefinitions;
    const text = typeof raw === "string" ? raw : JSON.stringify(raw ?? null);
    try {
        return { ok: true, containers: decodeContainerDefinitions(text) as ContainerDefinition[] };
    } catch (e) {
        if (e instanceof ContainerDecodingError) return { ok: false, error: e.message };
        throw e;
    }
}

/** A container's label in messages: `container "name"`, or its position when it has no name. */
export function containerLabel(container: ContainerDefinition, index: number): string {
    return typeof container.name === "string" && container.name !== "" ? `container "${container.name}"` : `container #${index + 1}`;
}

/** ECS treats a container as essential unless `essential` is explicitly false. */
export function isEssential(container: ContainerDefinition): boolean {
    return container.essential !== false;
}

/** The container's `environment` entries. */
export function environmentOf(container: ContainerDefinition): { name?: string; value?: string }[] {
    return asArray(container.environment).filter(isRecord) as { name?: string; value?: string }[];
}

/** A container and its label in messages. */
export interface LabelledContainer {
    c: ContainerDefinition;
    label: string;
}

/**
 * Every container with its label, or `undefined` once the one parse error is reported. Used by every
 * rule that looks inside container definitions (through {@link forEachContainer} when it judges them
 * one by one), so they all say the same thing about an unreadable document.
 */
export function labelledContainers(props: Props, report: (message: string) => void): LabelledContainer[] | undefined {
    const parsed = readContainers(props);
    if (!parsed.ok) {
        report(parsed.error);
        return undefined;
    }
    return parsed.containers.map((c, i) => ({ c, label: containerLabel(c, i) }));
}

/** Runs `check` per container, or reports the one parse error (see {@link labelledContainers}). */
export function forEachContainer(
    props: Props,
    report: (message: string) => void,
    check: (container: ContainerDefinition, label: string, index: number) => void,
): void {
    labelledContainers(props, report)?.forEach(({ c, label }, i) => check(c, label, i));
}
