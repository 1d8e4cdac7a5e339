/**
 * Services as the API server admits them (defaults and address allocation, see `service.ts`),
 * and the selector index that tells which pods each selects (the Endpoints and EndpointSlice
 * controllers' pod-to-Service lookups, `pkg/controller/util/endpoint`).
 */
import { ManifestObject, refKey } from '../../manifest/objects';
import type { ServiceManifest } from '../../manifest/types';
import { ObjectRef, ServiceInfo, objectKey } from '../model';
import { ClusterStore, ObjectController, PodRecord } from '../store';
import { managesEndpoints } from './endpoints';
import { ServiceAllocator, ServiceDraft } from './service';

/** Admits Services and keeps the Service <-> pod indexes. */
export class ServiceController implements ObjectController {
  public readonly kinds = ['Service'] as const;
  private readonly allocator: ServiceAllocator;

  constructor(private readonly store: ClusterStore) {
    this.allocator = new ServiceAllocator(store.profile, store.sink);
  }

  /**
   * Admit Services in one batch: explicit reservations for all, then dynamic allocation (see
   * `service.ts`), in the given order.
   */
  public admitAll(objects: readonly ManifestObject[]): void {
    const drafts: [ServiceDraft, ManifestObject][] = [];
    for (const o of objects) {
      const d = this.allocator.admit(o, o.typed as ServiceManifest);
      if (d) drafts.push([d, o]);
    }
    for (const [d, o] of drafts) {
      const info = this.allocator.complete(d);
      // The stored object (the last of duplicates), or `o` for one the API server makes itself (default/kubernetes).
      this.register(info, this.store.objects.get(refKey(d.ref)) ?? o);
    }
  }

  public upsert(obj: ManifestObject): void {
    if (obj.typed?.kind !== 'Service') return;
    const old = this.unregister(objectKey(obj.ref.namespace ?? 'default', obj.ref.name));
    const d = this.allocator.admit(obj, obj.typed, old);
    if (d) this.register(this.allocator.complete(d), obj);
  }

  public remove(ref: ObjectRef): void {
    this.unregister(objectKey(ref.namespace ?? 'default', ref.name));
  }

  private register(info: ServiceInfo, obj: ManifestObject): void {
    const store = this.store;
    const key = objectKey(info.namespace, info.name);
    const meta = (obj.raw.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
    store.services.set(key, info);
    store.serviceMeta.set(key, { labels: meta.labels ?? {}, annotations: meta.annotations ?? {} });
    if (info.selector && managesEndpoints(info)) {
      store.serviceIndex.add(key, info.namespace, info.selector);
      const selected = store.selectPods(info.namespace, info.selector);
      const records = new Set<PodRecord>();
      for (const p of selected) {
        const rec = store.podRecords.get(p) as PodRecord;
        records.add(rec);
        // Lists may be shared between pods of one workload: copy on write.
        rec.services = [...rec.services, key];
      }
      store.servicePods.set(key, records);
    }
  }

  private unregister(key: string): ServiceInfo | undefined {
    const store = this.store;
    const info = store.services.get(key);
    if (!info) return undefined;
    if (info.selector) store.serviceIndex.remove(key, info.namespace, info.selector);
    for (const rec of store.servicePods.get(key) ?? []) rec.services = rec.services.filter((s) => s !== key);
    store.servicePods.delete(key);
    store.services.delete(key);
    store.serviceMeta.delete(key);
    this.allocator.release(info);
    return info;
  }
}
