import { LocalOptionError } from '../errors.js';

/** The policy variable a device's own topic is written with (the thing name, which is its client id). */
export const CLIENT_ID_VARIABLE = `$\{iot:ClientId}`;

/**
 * What an AWS IoT policy attached to every device certificate allows, for the local broker: connect
 * with a client id that names a known thing (or any well-formed one when `things` is not given), and
 * publish only to the topic `publishTopic` gives with the client id put in (`iot:Connect` on
 * `client/${iot:Connection.Thing.ThingName}`, `iot:Publish` on its own Basic Ingest topic). A device
 * therefore cannot publish as another device.
 */
export class DevicePolicy {
  readonly #template: string;
  readonly #things: ReadonlySet<string> | undefined;

  /**
   * @param publishTopic - The topic a device may publish to, containing `${iot:ClientId}` once, e.g.
   *   `$aws/rules/secondrow_ingest/secondrow/devices/${iot:ClientId}`.
   * @param things - Thing names allowed to connect. Default: any client id AWS IoT would accept.
   * @throws {LocalOptionError} when `publishTopic` does not contain `${iot:ClientId}` exactly once.
   */
  constructor(publishTopic: string, things?: Iterable<string>) {
    if (publishTopic.split(CLIENT_ID_VARIABLE).length !== 2) {
      throw new LocalOptionError(`publishTopic must contain ${CLIENT_ID_VARIABLE} once, got ${publishTopic}`);
    }
    this.#template = publishTopic;
    this.#things = things === undefined ? undefined : new Set(things);
  }

  /** The topic `clientId` may publish to. */
  topicFor(clientId: string): string {
    return this.#template.replace(CLIENT_ID_VARIABLE, clientId);
  }

  /** True when `clientId` may connect: a thing name of 1..128 of `[a-zA-Z0-9:_-]`, and a known thing. */
  canConnect(clientId: string): boolean {
    if (!/^[a-zA-Z0-9:_-]{1,128}$/.test(clientId)) return false;
    return this.#things === undefined || this.#things.has(clientId);
  }

  /** True when `clientId` may publish to `topic` (its own topic only). */
  canPublish(clientId: string, topic: string): boolean {
    return this.canConnect(clientId) && topic === this.topicFor(clientId);
  }
}
