import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api';
import { App } from './App';
import { observeCall, refetchAll, wire } from './store/wiring';
import './styles/app.css';
import './styles/register.css';
import './styles/screens.css';

const connection = connect({ onCall: observeCall });
wire(connection);
// Under Electron the channel is up at once; in browser mode the socket's first `open` fetches.
if (connection.mode === 'electron') void refetchAll();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
