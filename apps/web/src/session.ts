import type { DocumentSummary, GroupSummary, MeResponse, OrganisationSummary, UserSummary } from '@samverkan/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { ApiError, api } from './api.js';

/** The signed-in user, or null when signed out (401). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api.get<MeResponse>('/api/auth/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useSetupNeeded(enabled: boolean) {
  return useQuery({ queryKey: ['setup'], queryFn: () => api.get<{ needed: boolean }>('/api/setup'), enabled });
}

export function useOrganisations() {
  return useQuery({ queryKey: ['organisations'], queryFn: async () => (await api.get<{ organisations: OrganisationSummary[] }>('/api/organisations')).organisations });
}

export function useGroups() {
  return useQuery({ queryKey: ['groups'], queryFn: async () => (await api.get<{ groups: GroupSummary[] }>('/api/groups')).groups });
}

export function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: async () => (await api.get<{ users: UserSummary[] }>('/api/users')).users });
}

/** Filters of the document list (`GET /api/documents?…`). */
export interface DocumentFilters {
  type?: string;
  organisation?: string;
  sector?: string;
  status?: string;
  outcome?: string;
}

/** Readable documents, most recently changed first; kept live by `useLiveUpdates`. */
export function useDocuments(filters: DocumentFilters = {}) {
  const query = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();
  return useQuery({
    queryKey: ['documents', query],
    queryFn: async () => (await api.get<{ documents: DocumentSummary[] }>(`/api/documents${query ? `?${query}` : ''}`)).documents,
  });
}

/** True once the server runs a newer build than the one this tab started with (see live.ts). */
export function useAppOutdated(): boolean {
  const queryClient = useQueryClient();
  return useSyncExternalStore(
    (notify) => queryClient.getQueryCache().subscribe(notify),
    () => queryClient.getQueryData<boolean>(['appOutdated']) === true,
  );
}
