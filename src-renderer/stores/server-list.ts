/** A collection the server keeps (datasets, runs) mirrored in a store: fetched whole, newest first, one record replaced by id. */
import { computed, ref, type Ref } from 'vue';
import { messageOf } from './client';

/** What every listed record carries. */
export interface ListedRecord {
  id: string;
  createdAt: string;
}

/** Call inside a store's setup; `fetchAll` asks the server for the whole collection. */
export function useServerList<T extends ListedRecord>(fetchAll: () => Promise<T[]>) {
  const items = ref([]) as Ref<T[]>;
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);

  /** Newest first. */
  const sorted = computed(() => [...items.value].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));

  function byId(id: string): T | undefined {
    return items.value.find((item) => item.id === id);
  }

  /** Replaces the record with the same id, or adds it; returns the store's (reactive) copy. */
  function upsert(record: T): T {
    const i = items.value.findIndex((item) => item.id === record.id);
    if (i >= 0) items.value[i] = record;
    else items.value.push(record);
    return byId(record.id)!;
  }

  /** Fetches the whole collection; a failure is kept in `error` and leaves the list as it was. */
  async function list(): Promise<T[]> {
    loading.value = true;
    try {
      items.value = await fetchAll();
      loaded.value = true;
      error.value = null;
    } catch (e) {
      error.value = messageOf(e);
    } finally {
      loading.value = false;
    }
    return items.value;
  }

  return { items, loaded, loading, error, sorted, byId, upsert, list };
}
