import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startFirstReports } from './firstReports';
import './styles.css';

// Before the first render: the headline's figures are on their way while React mounts.
startFirstReports();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
