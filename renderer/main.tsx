import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app.tsx';
import { connectStore } from './hoist-bridge.ts';
import { useHoist } from './store/hoist-store.ts';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

connectStore().catch((error: unknown) =>
  useHoist
    .getState()
    .notify({ level: 'error', message: `Hoist could not load its uploads: ${(error as Error).message}` }),
);
