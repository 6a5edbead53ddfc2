// Types for the @ohif/ui-next components the panel uses. The package ships
// only a UMD build without declarations; these follow its Radix-based props.
declare module '@ohif/ui-next' {
  import type { ComponentType, ReactNode } from 'react';

  type WithChildren<P = object> = P & { children?: ReactNode; className?: string; 'data-testid'?: string };

  export const Button: ComponentType<
    WithChildren<{ onClick?: () => void; disabled?: boolean; variant?: string; size?: string }>
  >;
  /** A bar filled to `progress` percent, or an indeterminate bar when it is undefined. */
  export const Input: ComponentType<
    WithChildren<{
      id?: string;
      value?: string;
      placeholder?: string;
      maxLength?: number;
      onChange?: (event: { target: { value: string } }) => void;
    }>
  >;
  export const ProgressLoadingBar: ComponentType<{ progress?: number }>;
  export const Select: ComponentType<WithChildren<{ value?: string; onValueChange?: (value: string) => void }>>;
  export const SelectTrigger: ComponentType<WithChildren>;
  export const SelectValue: ComponentType<WithChildren<{ placeholder?: string }>>;
  export const SelectContent: ComponentType<WithChildren>;
  export const SelectItem: ComponentType<WithChildren<{ value: string }>>;
  export const PanelSection: ComponentType<WithChildren<{ defaultOpen?: boolean }>> & {
    Header: ComponentType<WithChildren>;
    Content: ComponentType<WithChildren>;
  };
}
