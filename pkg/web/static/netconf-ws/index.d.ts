// Types of netconf-ws (index.js): NETCONF over WebSocket for browsers.

export declare const NETCONF_NS: string;
export declare const NOTIFICATION_NS: string;
export declare const YANG_NS: string;
export declare const MONITORING_NS: string;
export declare const WITH_DEFAULTS_NS: string;
export declare const SUBPROTOCOL: "netconf";
export declare const TOKEN_PROTOCOL_PREFIX: "ncws.token.";
export declare const CLIENT_CAPABILITIES: readonly string[];
export declare const RECONNECT_DELAYS: readonly number[];
export declare const CloseCode: Readonly<{
  NORMAL: 1000; GOING_AWAY: 1001; PROTOCOL_ERROR: 1002; UNSUPPORTED_DATA: 1003; ABNORMAL: 1006;
  INVALID_DATA: 1007; POLICY: 1008; TOO_BIG: 1009; INTERNAL: 1011; KILLED: 4001;
}>;

export declare function escapeXML(s: string): string;
export declare function parseXML(text: string): Document;
export declare function serializeXML(node: Node): string;
export declare function prettyXML(xml: string | Node): string;
export declare function loginURL(wsURL: string): string;
export declare function login(url: string, username: string, password: string, opts?: { fetch?: typeof fetch }): Promise<string>;
export declare function rpcErrors(reply: Element): RpcError[];

export type Filter = string | { subtree: string } | { xpath: string; namespaces?: Record<string, string> };

export declare class RpcError {
  constructor(el: Element);
  type: string;
  tag: string;
  severity: string;
  appTag: string;
  path: string;
  message: string;
  info: Element[];
  element: Element;
  modulePath(moduleOf: (ns: string) => string | null | undefined): string;
  toString(): string;
}
export declare class NetconfError extends Error {
  errors: RpcError[];
  reply: Element;
}
export declare class SessionClosedError extends Error {
  code: number;
  reason: string;
}
export declare class LoginError extends Error {
  status: number;
}
export declare function filterXML(f: Filter | undefined): string;

export interface ConnectOptions {
  token?: string;
  credentials?: { username: string; password: string };
  loginURL?: string;
  reconnect?: boolean | { delays?: number[]; maxAttempts?: number };
  helloTimeout?: number;
  capabilities?: string[];
  WebSocket?: typeof WebSocket;
  fetch?: typeof fetch;
}

export interface CloseDetail {
  code: number;
  reason: string;
  wasClean: boolean;
  willReconnect: boolean;
}
export interface NotificationDetail {
  eventTime: string;
  element: Element | null;
  notification: Element;
  xml: string;
}
export interface SubscriptionOptions {
  stream?: string;
  filter?: Filter;
  startTime?: string;
  stopTime?: string;
}
export interface RpcOptions {
  timeout?: number;
  resolveErrors?: boolean;
}

export interface SessionEventMap {
  notification: CustomEvent<NotificationDetail>;
  close: CustomEvent<CloseDetail>;
  reconnecting: CustomEvent<{ attempt: number; delay: number; error?: Error }>;
  reconnect: CustomEvent<{ sessionId: string; attempt: number }>;
  resubscribed: CustomEvent<{ subscriptions: number }>;
  error: CustomEvent<{ message: string; xml?: string }>;
}

export declare class Session extends EventTarget {
  readonly url: string;
  sessionId: string;
  capabilities: string[];
  state: "connecting" | "open" | "reconnecting" | "closed";
  username?: string;
  serverHello?: Element;
  closeCode?: number;
  closeReason?: string;
  readonly closed: Promise<CloseDetail>;
  readonly outstanding: number;
  readonly subscriptions: SubscriptionOptions[];
  addEventListener<K extends keyof SessionEventMap>(type: K, listener: (ev: SessionEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  hasCapability(uri: string): boolean;
  rpc(body: string, opts?: RpcOptions): Promise<Element>;
  rpcRaw(xml: string, opts?: RpcOptions): Promise<Element>;
  get(o?: { filter?: Filter; withDefaults?: string }): Promise<Element | null>;
  getConfig(o?: { source?: string; filter?: Filter; withDefaults?: string }): Promise<Element | null>;
  editConfig(o: { target?: string; config: string; defaultOperation?: string; testOption?: string; errorOption?: string }): Promise<void>;
  copyConfig(o: { target: string; source: string | { config: string } }): Promise<void>;
  deleteConfig(target: string): Promise<void>;
  lock(target?: string): Promise<void>;
  unlock(target?: string): Promise<void>;
  commit(o?: { confirmed?: boolean; confirmTimeout?: number; persist?: string; persistId?: string }): Promise<void>;
  cancelCommit(o?: { persistId?: string }): Promise<void>;
  discardChanges(): Promise<void>;
  validate(o?: { source?: string }): Promise<void>;
  killSession(sessionId: string | number): Promise<void>;
  closeSession(): Promise<CloseDetail>;
  getSchema(o: { identifier: string; version?: string; format?: string }): Promise<string>;
  createSubscription(o?: SubscriptionOptions): Promise<void>;
  close(code?: number, reason?: string): Promise<CloseDetail>;
  reconnect(): Promise<string>;
}

export declare function connect(url: string, opts?: ConnectOptions): Promise<Session>;
