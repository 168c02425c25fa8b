/**
 * API keys from Secrets Manager (each secret's whole value is the key). Cached for a few minutes per
 * warm container, so a rotated key is picked up without a redeploy and without a call per message.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const TTL_MS = 5 * 60_000;

export class SecretCache {
    private readonly values = new Map<string, { value: string; until: number }>();

    constructor(
        private readonly client: SecretsManagerClient,
        private readonly now: () => number,
    ) {}

    async get(arn: string): Promise<string> {
        const hit = this.values.get(arn);
        if (hit && hit.until > this.now()) return hit.value;
        const answer = await this.client.send(new GetSecretValueCommand({ SecretId: arn }));
        if (!answer.SecretString) throw new Error(`secret ${arn} has no string value`);
        this.values.set(arn, { value: answer.SecretString, until: this.now() + TTL_MS });
        return answer.SecretString;
    }
}
