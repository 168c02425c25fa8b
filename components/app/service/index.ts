/** ArchivematicaService and its argument types; the parts are in the files beside this one. */
export { ArchivematicaService } from "./archivematica-service";
export type { ArchivematicaServiceArgs, ServiceAppContainer, ServiceAutoscaling, ServiceLoadBalancer } from "./args";
