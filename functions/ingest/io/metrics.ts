/** Publishes data points to CloudWatch (PutMetricData takes up to 1,000 per call; we send far fewer). */
import { PutMetricDataCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { INGEST_NAMESPACE, type Datum } from "../core/metrics";

export async function publish(client: CloudWatchClient, data: Datum[]): Promise<void> {
    if (data.length === 0) return;
    await client.send(new PutMetricDataCommand({ Namespace: INGEST_NAMESPACE, MetricData: data }));
}
