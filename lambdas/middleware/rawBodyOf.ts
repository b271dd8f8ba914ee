import type { APIGatewayProxyEvent } from 'aws-lambda';

/** The request body exactly as the client sent it: API Gateway passes it through, base64-encoded when it took it for binary. */
export function rawBodyOf(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): string {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}
