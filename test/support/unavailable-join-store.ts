import { JoinStoreUnavailable, type JoinStore } from '../../exporter/src/joins/join-store';

/** A join store that stands for Redis being down: every claim fails, remembering never does (it never may). */
export class UnavailableJoinStore implements JoinStore {
  remembered = 0;
  remember(): void {
    this.remembered++;
  }
  claim(): Promise<never> {
    return Promise.reject(new JoinStoreUnavailable('connection refused'));
  }
  claimStateless(): Promise<never> {
    return Promise.reject(new JoinStoreUnavailable('connection refused'));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
