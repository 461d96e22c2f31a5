import { render } from 'preact';
import 'vazirmatn/Vazirmatn-Variable-font-face.css';
import './styles.css';
import { App } from './app';
import { loadConfig } from './config';

const root = document.getElementById('app');
if (root) {
  loadConfig().then(
    (config) => render(<App config={config} />, root),
    () => {
      // No config, no console: say so in both languages rather than a blank page.
      root.textContent = 'پیکربندی کنسول در دسترس نیست. / The console configuration could not be loaded.';
    },
  );
}
