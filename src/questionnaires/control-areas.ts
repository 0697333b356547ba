/** The control areas of domain.md §1. `lite` marks the starred ones that baseline-lite covers. */
export interface ControlArea {
  id: number;
  key: string;
  lite: boolean;
  title: { en: string; 'zh-CN': string };
}

export const CONTROL_AREAS: readonly ControlArea[] = [
  { id: 1, key: 'scope', lite: true, title: { en: 'Scope of customer information', 'zh-CN': '客户信息范围' } },
  { id: 2, key: 'policy', lite: true, title: { en: 'Security policy and ownership', 'zh-CN': '安全策略与职责' } },
  { id: 3, key: 'classification', lite: false, title: { en: 'Data classification', 'zh-CN': '数据分级' } },
  { id: 4, key: 'access', lite: true, title: { en: 'Access control', 'zh-CN': '访问控制' } },
  { id: 5, key: 'encryption', lite: true, title: { en: 'Encryption', 'zh-CN': '加密' } },
  { id: 6, key: 'endpoint_network', lite: false, title: { en: 'Endpoint and network security', 'zh-CN': '终端与网络安全' } },
  { id: 7, key: 'patching', lite: true, title: { en: 'Patching and supported software', 'zh-CN': '补丁与受支持软件' } },
  { id: 8, key: 'backup', lite: true, title: { en: 'Backup and recovery', 'zh-CN': '备份与恢复' } },
  { id: 9, key: 'awareness', lite: false, title: { en: 'Staff awareness', 'zh-CN': '员工安全意识' } },
  { id: 10, key: 'lifecycle', lite: false, title: { en: 'Data handling lifecycle', 'zh-CN': '数据处理生命周期' } },
  { id: 11, key: 'subprocessors', lite: true, title: { en: 'Their own third parties (sub-processors)', 'zh-CN': '其自身的第三方（再处理者）' } },
  { id: 12, key: 'incident', lite: true, title: { en: 'Incident response and breach notification', 'zh-CN': '事件响应与泄露通知' } },
  { id: 13, key: 'audit', lite: false, title: { en: 'Audits, scans and penetration tests', 'zh-CN': '审计、扫描与渗透测试' } },
  { id: 14, key: 'compliance', lite: false, title: { en: 'Legal compliance', 'zh-CN': '合规' } },
];
