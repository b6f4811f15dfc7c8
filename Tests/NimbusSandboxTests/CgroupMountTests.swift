import Testing

@testable import NimbusSandbox

@Suite struct CgroupMountTests {
    @Test func findsV1HierarchiesAndTheServersPathInEach() {
        let mounts = Mount.parse(
            """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
            35 31 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            """
        )
        #expect(mounts.map(\.point) == ["/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/memory"])
        #expect(mounts[0].options.contains("cpu") && mounts[0].type == "cgroup")
        let memberships = Membership.parse("4:memory:/process_api/job\n1:cpu,cpuacct:/\n0::/\n")
        #expect(memberships.first { $0.controllers.contains("cpu") }?.path == "/")
        #expect(mounts[1].path(for: "/process_api/job") == "/sys/fs/cgroup/memory/process_api/job")
        #expect(mounts[0].path(for: "/") == "/sys/fs/cgroup/cpu,cpuacct")
    }

    @Test func findsTheUnifiedHierarchyOfAContainer() {
        // A container whose cgroup2 mount shows only its own subtree, with the server in a child cgroup of it.
        let mounts = Mount.parse("1230 1220 0:27 /docker/abc /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n")
        let membership = Membership.parse("0::/docker/abc/server\n")
        #expect(mounts.first?.type == "cgroup2")
        #expect(membership.first?.id == 0 && membership.first?.controllers == [])
        #expect(mounts.first?.path(for: "/docker/abc/server") == "/sys/fs/cgroup/server")
        #expect(mounts.first?.path(for: "/docker/abc") == "/sys/fs/cgroup")
        #expect(mounts.first?.path(for: "/elsewhere") == nil)
    }
}
