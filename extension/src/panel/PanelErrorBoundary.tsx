import { Component, type ErrorInfo, type ReactNode } from 'react';

import { createLogger } from '../../../src/logging';

const log = createLogger('medsam.extension');

/**
 * Keeps a failure inside the MedSAM panel: it shows the error in the panel
 * instead of letting it reach the viewer's route and blank the whole page.
 */
export class PanelErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    log.error(`The MedSAM panel failed: ${error.message}`, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="p-2 text-sm text-red-400" data-testid="medsam-panel-error">
          The MedSAM panel failed: {this.state.error.message}. Reload the page; if it persists, report this message.
        </div>
      );
    }
    return this.props.children;
  }
}
