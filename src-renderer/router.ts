/** Routes of the app; hash history because the page is served from a custom protocol or a static server. */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/datasets' },
  { path: '/datasets', name: 'datasets', component: () => import('./pages/DatasetsPage.vue') },
  { path: '/datasets/:id', name: 'dataset', component: () => import('./pages/DatasetPage.vue'), props: true },
  { path: '/runs', name: 'runs', component: () => import('./pages/RunsPage.vue') },
  { path: '/runs/:id', name: 'run', component: () => import('./pages/RunPage.vue'), props: true },
  { path: '/compare', name: 'compare', component: () => import('./pages/ComparePage.vue') },
  { path: '/gallery', name: 'gallery', component: () => import('./pages/GalleryPage.vue') },
  { path: '/settings', name: 'settings', component: () => import('./pages/SettingsPage.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/datasets' },
];

export function createWorkbenchRouter() {
  return createRouter({ history: createWebHashHistory(), routes });
}
