using System.Diagnostics;
using Actors.Rooms;
using MediaEngine.Workers;

namespace Signaling.Metrics;

/// <summary>The metric families of GET /metrics: media workers, rooms, the process.</summary>
public static class ServerMetrics
{
    private const string Counter = "counter";
    private const string Gauge = "gauge";

    /// <param name="workers">Null when the media workers could not be asked; their families are left out.</param>
    /// <param name="rooms">Null when the room manager could not be asked; likewise.</param>
    public static string Write(IReadOnlyList<WorkerMetrics>? workers, RoomMetrics? rooms)
    {
        var writer = new PrometheusTextWriter();
        if (workers is not null)
            WriteWorkers(writer, workers);
        if (rooms is not null)
            WriteRooms(writer, rooms);
        WriteProcess(writer);
        return writer.ToString();
    }

    private static void WriteWorkers(PrometheusTextWriter writer, IReadOnlyList<WorkerMetrics> workers)
    {
        void PerWorker(string name, string type, string help, Func<WorkerMetrics, long> value)
        {
            writer.Family(name, type, help);
            foreach (var worker in workers)
                writer.Sample(name, value(worker), WorkerLabel(worker));
        }

        void PerWorkerAndReason(string name, string help, Func<WorkerMetrics, IReadOnlyList<(string Reason, long Count)>> values)
        {
            writer.Family(name, Counter, help);
            foreach (var worker in workers)
            {
                foreach (var (reason, count) in values(worker))
                    writer.Sample(name, count, WorkerLabel(worker), ("reason", reason));
            }
        }

        PerWorker("sfu_worker_routers", Gauge, "Routers (one per room) on the worker.", w => w.Routers);
        writer.Family("sfu_worker_transports", Gauge, "Open transports on the worker, by type.");
        foreach (var worker in workers)
        {
            writer.Sample("sfu_worker_transports", worker.WebRtcTransports, WorkerLabel(worker), ("type", "webrtc"));
            writer.Sample("sfu_worker_transports", worker.PlainTransports, WorkerLabel(worker), ("type", "plain"));
        }
        PerWorker("sfu_worker_producers", Gauge, "Producers on the worker.", w => w.Producers);
        PerWorker("sfu_worker_consumers", Gauge, "Consumers on the worker.", w => w.Consumers);
        PerWorker("sfu_worker_data_producers", Gauge, "Data producers on the worker.", w => w.DataProducers);
        PerWorker("sfu_worker_data_consumers", Gauge, "Data consumers on the worker.", w => w.DataConsumers);

        PerWorker("sfu_worker_bytes_received_total", Counter, "Bytes received by the worker's transports (all packet kinds).", w => w.BytesReceived);
        PerWorker("sfu_worker_bytes_sent_total", Counter, "Bytes sent by the worker's transports (all packet kinds).", w => w.BytesSent);
        PerWorker("sfu_worker_rtp_packets_received_total", Counter, "RTP packets received (after SRTP).", w => w.RtpPacketsReceived);
        PerWorker("sfu_worker_rtp_bytes_received_total", Counter, "RTP bytes received (after SRTP).", w => w.RtpBytesReceived);
        PerWorker("sfu_worker_rtcp_packets_received_total", Counter, "RTCP compound packets received (after SRTCP).", w => w.RtcpPacketsReceived);
        PerWorker("sfu_worker_rtp_packets_sent_total", Counter, "RTP packets sent, retransmissions included.", w => w.RtpPacketsSent);
        PerWorker("sfu_worker_rtp_bytes_sent_total", Counter, "RTP bytes sent (before SRTP).", w => w.RtpBytesSent);
        PerWorker("sfu_worker_rtp_packets_retransmitted_total", Counter, "RTP packets resent to answer NACKs.", w => w.RtpPacketsRetransmitted);
        PerWorker("sfu_worker_nacks_received_total", Counter, "NACK items received from receivers.", w => w.NacksReceived);
        PerWorker("sfu_worker_nacks_sent_total", Counter, "RTCP NACK packets sent to senders.", w => w.NacksSent);
        PerWorker("sfu_worker_key_frame_requests_received_total", Counter, "PLI/FIR received from receivers.", w => w.KeyFrameRequestsReceived);
        PerWorker("sfu_worker_sctp_packets_received_total", Counter, "SCTP packets received (DataChannels).", w => w.SctpPacketsReceived);
        PerWorker("sfu_worker_sctp_packets_sent_total", Counter, "SCTP packets sent (DataChannels).", w => w.SctpPacketsSent);
        PerWorker("sfu_worker_data_messages_received_total", Counter, "DataChannel messages received by data producers.", w => w.DataMessagesReceived);
        PerWorker("sfu_worker_data_messages_sent_total", Counter, "DataChannel messages sent by data consumers.", w => w.DataMessagesSent);

        PerWorkerAndReason("sfu_worker_packets_dropped_total", "Received packets dropped, by reason.", w => w.PacketsDroppedByReason);
        PerWorkerAndReason("sfu_worker_outgoing_packets_dropped_total", "Packets not sent, by reason (NACKed packets not resent included).", w => w.OutgoingPacketsDroppedByReason);
        PerWorker("sfu_worker_sctp_data_chunks_dropped_total", Counter, "SCTP DATA chunks dropped for lack of receive buffer.", w => w.SctpDataChunksDropped);
        PerWorker("sfu_worker_data_channel_bytes_dropped_total", Counter, "DataChannel bytes dropped (no SCTP, or a stream no data producer owns).", w => w.DataChannelBytesDropped);
        PerWorker("sfu_worker_data_messages_dropped_total", Counter, "DataChannel messages data consumers could not send (SCTP down or buffer full).", w => w.DataMessagesDropped);
        PerWorker("sfu_worker_handler_errors_total", Counter, "Exceptions thrown by the worker's packet, timer or command handlers (each survived).", w => w.HandlerErrors);

        var timed = workers.Where(w => w.CpuTime is not null).ToList();
        if (timed.Count > 0)
        {
            writer.Family("sfu_worker_cpu_seconds_total", Counter, "CPU time of the worker thread (user + system).");
            foreach (var worker in timed)
                writer.Sample("sfu_worker_cpu_seconds_total", worker.CpuTime!.Value.TotalSeconds, WorkerLabel(worker));
        }
    }

    private static (string, string) WorkerLabel(WorkerMetrics worker) => ("worker", worker.WorkerIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static void WriteRooms(PrometheusTextWriter writer, RoomMetrics rooms)
    {
        writer.Family("sfu_rooms", Gauge, "Open rooms.");
        writer.Sample("sfu_rooms", rooms.Rooms);
        writer.Family("sfu_peers", Gauge, "Protoo peers connected to open rooms, by state (joined or not yet).");
        writer.Sample("sfu_peers", rooms.JoinedPeers, ("state", "joined"));
        writer.Sample("sfu_peers", rooms.Peers - rooms.JoinedPeers, ("state", "connected"));
        writer.Family("sfu_broadcasters", Gauge, "Broadcasters (HTTP API) in open rooms.");
        writer.Sample("sfu_broadcasters", rooms.Broadcasters);
        writer.Family("sfu_rooms_not_answering", Gauge, "Room actors that did not answer this scrape in time (e.g. restoring media after a restart).");
        writer.Sample("sfu_rooms_not_answering", rooms.NotAnswering);
    }

    private static void WriteProcess(PrometheusTextWriter writer)
    {
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        writer.Family("process_cpu_seconds_total", Counter, "CPU time of the process (user + system).");
        writer.Sample("process_cpu_seconds_total", process.TotalProcessorTime.TotalSeconds);
        writer.Family("process_resident_memory_bytes", Gauge, "Resident memory of the process.");
        writer.Sample("process_resident_memory_bytes", process.WorkingSet64);
        writer.Family("process_threads", Gauge, "OS threads of the process.");
        writer.Sample("process_threads", process.Threads.Count);
        writer.Family("process_start_time_seconds", Gauge, "Start time of the process, Unix seconds.");
        writer.Sample("process_start_time_seconds", new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        writer.Family("dotnet_gc_heap_size_bytes", Gauge, "Managed heap size after the last garbage collection.");
        writer.Sample("dotnet_gc_heap_size_bytes", gc.HeapSizeBytes);
        writer.Family("dotnet_gc_committed_bytes", Gauge, "Memory the garbage collector holds from the operating system (heap and free space kept for later).");
        writer.Sample("dotnet_gc_committed_bytes", gc.TotalCommittedBytes);
        writer.Family("dotnet_gc_memory_in_use_bytes", Gauge, "Managed memory thought to be allocated now.");
        writer.Sample("dotnet_gc_memory_in_use_bytes", GC.GetTotalMemory(forceFullCollection: false));
        writer.Family("dotnet_gc_allocated_bytes_total", Counter, "Bytes allocated on the managed heap since the process started.");
        writer.Sample("dotnet_gc_allocated_bytes_total", GC.GetTotalAllocatedBytes(precise: false));
        writer.Family("dotnet_gc_collections_total", Counter, "Garbage collections, by generation.");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
            writer.Sample("dotnet_gc_collections_total", GC.CollectionCount(generation), ("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        writer.Family("dotnet_threadpool_threads", Gauge, "Thread pool threads.");
        writer.Sample("dotnet_threadpool_threads", ThreadPool.ThreadCount);
    }
}
