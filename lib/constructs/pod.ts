/**
 * Pod template types of the workload constructs, in the Kubernetes API's own field names
 * (`k8s.io/api/core/v1` types.go, JSON tags). They are plain data: what is written is what
 * lands in the manifest, so the library needs no generated L1 classes (and no cdk8s-plus) for
 * the core kinds. The fields routing and the checks read are typed; the rest of a container or
 * pod spec is accepted as JSON.
 */

/** A JSON value, as it appears in a manifest. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

/** A JSON object, for the parts of the API this library passes through unchanged. */
export interface JsonMap {
  readonly [key: string]: JsonValue | undefined;
}

/** `intstr.IntOrString`: a port number or a port name (or a percentage where the API says so). */
export type IntOrString = number | string;

/** `ContainerPort`. */
export interface ContainerPort {
  /** 1-65535. */
  readonly containerPort: number;
  /** IANA_SVC_NAME (≤ 15 characters); Services may target it by this name. @default - unnamed */
  readonly name?: string;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** @default - none */
  readonly hostPort?: number;
  /** @default - none */
  readonly hostIP?: string;
}

/** `EnvVar`. */
export interface EnvVar {
  readonly name: string;
  /** @default - none */
  readonly value?: string;
  /** `secretKeyRef`, `configMapKeyRef`, `fieldRef`, `resourceFieldRef`. @default - none */
  readonly valueFrom?: JsonMap;
}

/** `HTTPGetAction` of a probe. */
export interface HttpGetAction {
  /** A port number or a container port name. */
  readonly port: IntOrString;
  /** @default '/' */
  readonly path?: string;
  /** @default - the pod IP */
  readonly host?: string;
  /** @default 'HTTP' */
  readonly scheme?: 'HTTP' | 'HTTPS';
  /** @default - none */
  readonly httpHeaders?: readonly { readonly name: string; readonly value: string }[];
}

/** `Probe` (readiness, liveness, startup). */
export interface Probe {
  /** @default - none */
  readonly httpGet?: HttpGetAction;
  /** @default - none */
  readonly tcpSocket?: { readonly port: IntOrString; readonly host?: string };
  /** @default - none */
  readonly grpc?: { readonly port: number; readonly service?: string };
  /** @default - none */
  readonly exec?: { readonly command?: readonly string[] };
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
  /** @default 1 */
  readonly successThreshold?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** @default - the pod's terminationGracePeriodSeconds */
  readonly terminationGracePeriodSeconds?: number;
}

/** `VolumeMount`. */
export interface VolumeMount {
  /** A pod volume or a StatefulSet claim template. */
  readonly name: string;
  readonly mountPath: string;
  /** @default false */
  readonly readOnly?: boolean;
  /** @default '' */
  readonly subPath?: string;
  /** @default - none */
  readonly subPathExpr?: string;
  /** @default - none */
  readonly mountPropagation?: string;
  /** @default - none */
  readonly recursiveReadOnly?: string;
}

/** `ResourceRequirements`: quantities as strings (`'500m'`, `'1Gi'`) or numbers. */
export interface ResourceRequirements {
  /** @default - none */
  readonly limits?: Readonly<Record<string, string | number>>;
  /** @default - none */
  readonly requests?: Readonly<Record<string, string | number>>;
  /** @default - none */
  readonly claims?: readonly { readonly name: string; readonly request?: string }[];
}

/** `Container`: the fields the checks and routing read are typed, the others pass through. */
export interface Container {
  /** DNS-1123 label, unique in the pod. */
  readonly name: string;
  /** @default - none (the API server requires one) */
  readonly image?: string;
  /** @default - 'Always' for `:latest`, else 'IfNotPresent' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's cmd */
  readonly args?: readonly string[];
  /** @default - the image's */
  readonly workingDir?: string;
  /** Ports the container listens on; Services target them by number or name. @default - none */
  readonly ports?: readonly ContainerPort[];
  /** @default - none */
  readonly env?: readonly EnvVar[];
  /** @default - none */
  readonly envFrom?: readonly JsonMap[];
  /** @default - none */
  readonly resources?: ResourceRequirements;
  /** @default - none */
  readonly volumeMounts?: readonly VolumeMount[];
  /** @default - none */
  readonly volumeDevices?: readonly { readonly name: string; readonly devicePath: string }[];
  /** Gates the pod's Ready condition, so whether it is an endpoint. @default - none */
  readonly readinessProbe?: Probe;
  /** @default - none */
  readonly livenessProbe?: Probe;
  /** @default - none */
  readonly startupProbe?: Probe;
  /** `postStart` / `preStop` handlers. @default - none */
  readonly lifecycle?: JsonMap;
  /** `Always` on an init container makes it a native sidecar. @default - none */
  readonly restartPolicy?: 'Always';
  /** @default - none */
  readonly resizePolicy?: readonly JsonMap[];
  /** @default - none */
  readonly securityContext?: JsonMap;
  /** @default '/dev/termination-log' */
  readonly terminationMessagePath?: string;
  /** @default 'File' */
  readonly terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
  /** @default false */
  readonly stdin?: boolean;
  /** @default false */
  readonly stdinOnce?: boolean;
  /** @default false */
  readonly tty?: boolean;
}

/**
 * `Volume`: a name and one volume source (`emptyDir`, `configMap`, `secret`,
 * `persistentVolumeClaim`, `projected`, ...), the source as in the API.
 */
export interface Volume {
  readonly name: string;
  /** @default - none */
  readonly emptyDir?: JsonMap;
  /** @default - none */
  readonly configMap?: JsonMap;
  /** @default - none */
  readonly secret?: JsonMap;
  /** @default - none */
  readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly?: boolean };
  /** @default - none */
  readonly projected?: JsonMap;
  /** @default - none */
  readonly downwardAPI?: JsonMap;
  /** @default - none */
  readonly hostPath?: { readonly path: string; readonly type?: string };
  /** @default - none */
  readonly csi?: JsonMap;
  /** @default - none */
  readonly ephemeral?: JsonMap;
  /** @default - none */
  readonly image?: JsonMap;
  /** @default - none */
  readonly nfs?: JsonMap;
}

/**
 * The other `PodSpec` fields (scheduling, identity, DNS, security). Fields that change where
 * pods run or what name they answer to are typed.
 */
export interface PodSpecFields {
  /** @default - none */
  readonly serviceAccountName?: string;
  /** @default - none */
  readonly automountServiceAccountToken?: boolean;
  /** @default - none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Pins the pod to a node (the scheduler is skipped). @default - scheduled */
  readonly nodeName?: string;
  /** @default - none */
  readonly affinity?: JsonMap;
  /** @default - none */
  readonly tolerations?: readonly JsonMap[];
  /** @default - none */
  readonly topologySpreadConstraints?: readonly JsonMap[];
  /** @default - the pod name */
  readonly hostname?: string;
  /** With a headless Service of that name: `<hostname>.<subdomain>.<ns>.svc` resolves. @default - none */
  readonly subdomain?: string;
  /** @default false */
  readonly hostNetwork?: boolean;
  /** @default false */
  readonly setHostnameAsFQDN?: boolean;
  /** @default 'ClusterFirst' */
  readonly dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  /** @default - none */
  readonly dnsConfig?: JsonMap;
  /** @default - none */
  readonly hostAliases?: readonly { readonly ip: string; readonly hostnames?: readonly string[] }[];
  /** Extra conditions the pod's readiness waits for. @default - none */
  readonly readinessGates?: readonly { readonly conditionType: string }[];
  /** @default 'Always' */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** @default - none */
  readonly activeDeadlineSeconds?: number;
  /** @default - none */
  readonly securityContext?: JsonMap;
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[];
  /** @default - none */
  readonly priorityClassName?: string;
  /** @default - none */
  readonly runtimeClassName?: string;
  /** @default 'default-scheduler' */
  readonly schedulerName?: string;
  /** @default true */
  readonly enableServiceLinks?: boolean;
  /** @default false */
  readonly shareProcessNamespace?: boolean;
  /** @default false */
  readonly hostPID?: boolean;
  /** @default false */
  readonly hostIPC?: boolean;
  /** @default true */
  readonly hostUsers?: boolean;
  /** @default - none */
  readonly os?: { readonly name: 'linux' | 'windows' };
  /** @default - none */
  readonly schedulingGates?: readonly { readonly name: string }[];
  /** @default - none */
  readonly resourceClaims?: readonly JsonMap[];
  /** @default - none */
  readonly overhead?: Readonly<Record<string, string | number>>;
  /** @default - none */
  readonly preemptionPolicy?: string;
}
