import { useT } from '../i18n';
import { reconnectingInfo, useApp } from '../store/app';

/** The always-visible banners at the top: demo, offline, reconnecting, intake stopped. */
export function Banners() {
  const t = useT();
  const status = useApp((s) => s.status);
  const socket = useApp((s) => s.socket);
  const socketAttempt = useApp((s) => s.socketAttempt);
  const engine = useApp((s) => s.engine);
  const reconnecting = reconnectingInfo({ socket, socketAttempt, engine });
  return (
    <div className="banners" role="status" aria-live="polite">
      {status?.demo && (
        <div className="banner banner-demo" data-testid="banner-demo">
          {t('banner.demo')}
        </div>
      )}
      {engine.state === 'fatal' && (
        <div className="banner banner-fatal" data-testid="banner-fatal" role="alert">
          {t('banner.fatal', { message: engine.error?.message ?? '' })}
        </div>
      )}
      {reconnecting && (
        <div className="banner banner-reconnecting" data-testid="banner-reconnecting">
          {reconnecting.attempt > 0 ? t('banner.reconnecting', { attempt: reconnecting.attempt }) : t('banner.reconnectingNoAttempt')}
        </div>
      )}
      {status && !status.redemptionOnline && (
        <div className="banner banner-offline" data-testid="banner-offline" role="alert">
          {t('banner.offline')}
        </div>
      )}
      {status?.intakeStopped && (
        <div className="banner banner-intake" data-testid="banner-intake-stopped" role="alert">
          {t('banner.intakeStopped', { message: status.intakeStopped.message })}
        </div>
      )}
    </div>
  );
}
