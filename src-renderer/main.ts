/** Entry of the renderer: the client, Pinia, router and i18n, then the shell. */
import { createApp, watch } from 'vue';
import { createPinia } from 'pinia';
import 'vue-echarts/style.css';
import './styles/global.css';
import App from './App.vue';
import { connect } from './api';
import { createWorkbenchI18n } from './i18n';
import { createWorkbenchRouter } from './router';
import { provideClient } from './stores/client';
import { useAppStore } from './stores/app';
import { applyTheme } from './theme';

applyTheme();

const app = createApp(App);
provideClient(app, connect());
const pinia = createPinia();
app.use(pinia);

const appStore = useAppStore(pinia);
const i18n = createWorkbenchI18n(appStore.locale);
watch(
  () => appStore.locale,
  (locale) => {
    i18n.global.locale.value = locale;
    document.documentElement.lang = locale;
  },
  { immediate: true },
);

app.use(i18n);
app.use(createWorkbenchRouter());
app.mount('#app');
void appStore.loadInfo();
void appStore.loadBackend();
